"""Small builders for the edits rules propose, shared so every fix formats code the same way."""

from __future__ import annotations

from typing import Callable

import libcst as cst

from fitlint.rule import Edit
from fitlint.analysis.script import FunctionInfo
from fitlint.fixes.bindings import first_free_index, names_read


def with_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``keyword=value`` set: the existing argument's value replaced, or a new
    argument appended in the call's own layout: on the same line in a call written on one line
    (or several arguments per line), on a line of its own, indented like the last argument, in a
    call with one argument per line. Comments stay on the lines they were on, and a trailing
    comma stays trailing."""
    for index, arg in enumerate(call.args):
        if arg.keyword is not None and arg.keyword.value == keyword:
            args = list(call.args)
            args[index] = arg.with_changes(value=value)
            return call.with_changes(args=args)
    new = cst.Arg(value=value, keyword=cst.Name(keyword),
                  equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")))
    args = list(call.args)
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    indent = _line_break_before(call, len(args) - 1) if _one_argument_per_line(call) else None
    if indent is None:  # same line: `, keyword=value` after the last argument
        comma = last.comma if type(last.comma) is cst.Comma else cst.MaybeSentinel.DEFAULT
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                                     whitespace_after_arg=cst.SimpleWhitespace(""))
        return call.with_changes(args=[*args, new.with_changes(comma=comma, whitespace_after_arg=last.whitespace_after_arg)])
    # a line of its own: the last argument keeps its comment, the new one takes its indentation
    closing = last.comma.whitespace_after if type(last.comma) is cst.Comma else last.whitespace_after_arg
    if type(closing) is cst.ParenthesizedWhitespace:
        after_last = closing.with_changes(last_line=indent.last_line, indent=indent.indent)
        end = cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), empty_lines=[],
                                          indent=closing.indent, last_line=closing.last_line)
    else:  # the parenthesis closes on the last argument's line: it closes on the new one
        after_last = indent
        end = closing
    args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=after_last), whitespace_after_arg=cst.SimpleWhitespace(""))
    if type(last.comma) is cst.Comma:
        new = new.with_changes(comma=cst.Comma(whitespace_after=end))
    else:
        new = new.with_changes(whitespace_after_arg=end)
    return call.with_changes(args=[*args, new])


def _line_break_before(call: cst.Call, index: int) -> cst.ParenthesizedWhitespace | None:
    """The line break (and indentation) before argument ``index``; None when it follows the
    previous argument (or the parenthesis) on the same line."""
    whitespace = call.args[index - 1].comma.whitespace_after if index else call.whitespace_before_args
    if type(whitespace) is cst.ParenthesizedWhitespace:
        return cst.ParenthesizedWhitespace(first_line=cst.TrailingWhitespace(), empty_lines=[],
                                           indent=whitespace.indent, last_line=whitespace.last_line)
    return None


def _one_argument_per_line(call: cst.Call) -> bool:
    """Every argument after the first starts a line (the first may share the parenthesis's line)."""
    args = call.args
    if len(args) == 1:
        return type(call.whitespace_before_args) is cst.ParenthesizedWhitespace
    return all(type(arg.comma) is cst.Comma and type(arg.comma.whitespace_after) is cst.ParenthesizedWhitespace
               for arg in args[:-1])


def replace_node(node: cst.CSTNode, replacement: cst.CSTNode) -> Edit:
    return Edit(node, replacement=replacement)


def remove_statement(statement: cst.BaseStatement) -> Edit:
    return Edit(statement, replacement=cst.RemovalSentinel.REMOVE)


def insert_after(statement: cst.BaseStatement, *statements: cst.BaseStatement) -> Edit:
    return Edit(statement, after=tuple(statements))


def insert_before(statement: cst.BaseStatement, *statements: cst.BaseStatement) -> Edit:
    return Edit(statement, before=tuple(statements))


def moved(statement: cst.SimpleStatementLine, fits: Callable[[str], bool] = lambda comment: True) -> cst.SimpleStatementLine:
    """A statement ready to be inserted elsewhere: its leading blank lines dropped, its comments
    kept where ``fits`` says they still describe it at the new place."""
    leading = [line for line in statement.leading_lines if line.comment and fits(line.comment.value)]
    trailing = statement.trailing_whitespace
    if trailing.comment is not None and not fits(trailing.comment.value):
        trailing = trailing.with_changes(whitespace=cst.SimpleWhitespace(""), comment=None)
    return statement.with_changes(leading_lines=leading, trailing_whitespace=trailing)


def _is_docstring(statement: cst.BaseStatement) -> bool:
    return (
        type(statement) is cst.SimpleStatementLine
        and len(statement.body) == 1
        and type(statement.body[0]) is cst.Expr
        and type(statement.body[0].value) in (cst.SimpleString, cst.ConcatenatedString)
    )


def insert_at_top(function: FunctionInfo, code: str) -> Edit | None:
    """An edit inserting ``code`` as the first statement of a function's body: after its
    docstring and ``global`` / ``nonlocal`` declarations, and after the statements that bind the
    names ``code`` reads (``net.eval()`` goes below ``net = Net()``). None for a one-line body, or
    when such a name is bound inside a loop or branch."""
    body = block_statements(function.node) if not function.is_module else None
    if not body:
        return None
    index = 0
    while index < len(body) and (
        (index == 0 and _is_docstring(body[0]))
        or (type(body[index]) is cst.SimpleStatementLine
            and all(type(small) in (cst.Global, cst.Nonlocal) for small in body[index].body))
    ):
        index += 1
    inserted = statement_line(code)
    index = first_free_index(body, index, names_read([inserted]), function.params)
    if index is None or index == len(body):
        return None
    if index:
        return insert_after(body[index - 1], inserted)
    return insert_before(body[0], inserted)


def is_lone_call(statement: cst.CSTNode, call: cst.Call) -> bool:
    """The statement is just ``call`` (a line that can be moved or removed whole)."""
    return (
        type(statement) is cst.SimpleStatementLine
        and len(statement.body) == 1
        and type(statement.body[0]) is cst.Expr
        and statement.body[0].value is call
    )


def block_statements(node: cst.CSTNode) -> list[cst.BaseStatement] | None:
    """The statements of a compound statement's indented body, or None for a one-line body."""
    body = getattr(node, "body", None)
    return list(body.body) if type(body) is cst.IndentedBlock else None


# --- expression builders (FIT301, FIT302, FIT502) --------------------------------------------

_ATOMS = (cst.Name, cst.Attribute, cst.Call, cst.Subscript, cst.Integer, cst.Float, cst.SimpleString,
          cst.ConcatenatedString, cst.FormattedString, cst.List, cst.Tuple, cst.Dict, cst.Set)



def parenthesized(expr: cst.BaseExpression) -> cst.BaseExpression:
    """``expr`` wrapped in parentheses unless it is an atom (a name, call, attribute, literal...)
    or already parenthesized: safe to use as an operand or as the receiver of a method call."""
    if isinstance(expr, _ATOMS) or expr.lpar:
        return expr
    return expr.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])


def in_place_of(node: cst.BaseExpression, inner: cst.BaseExpression, top: bool) -> cst.BaseExpression:
    """``inner`` ready to replace ``node`` (``F.relu(self.fc(x))`` -> ``self.fc(x)``): ``node``'s own
    parentheses kept; ``inner`` parenthesized when it is not an atom and ``node`` was not at the top
    of an expression (a return value, an assigned value, a call argument)."""
    if node.lpar and not inner.lpar:
        return inner.with_changes(lpar=node.lpar, rpar=node.rpar)
    return inner if top else parenthesized(inner)


def with_method(expr: cst.BaseExpression, method: str) -> cst.Call:
    """``expr.method()`` (``loss`` -> ``loss.item()``; ``a + b`` -> ``(a + b).item()``)."""
    return cst.Call(func=cst.Attribute(value=parenthesized(expr), attr=cst.Name(method)))


def renamed_function(call: cst.Call, name: str) -> cst.Call | None:
    """``call`` with the last part of its function renamed (``F.softmax(x, 1)`` ->
    ``F.log_softmax(x, 1)``, ``x.softmax(1)`` -> ``x.log_softmax(1)``, ``nn.Softmax(dim=1)`` ->
    ``nn.LogSoftmax(dim=1)``); None for a bare name (renaming it would need a new import)."""
    if type(call.func) is not cst.Attribute:
        return None
    return call.with_changes(func=call.func.with_changes(attr=cst.Name(name)))


def without_arg(call: cst.Call, removed: cst.Arg) -> cst.Call:
    """``call`` without one of its arguments, in the call's own layout: one line stays one line; in
    a call with one argument per line the removed argument's line goes (with its own comment and
    the comment lines right above it) and every other line, comments included, stays as it was."""
    args = list(call.args)
    index = next(i for i, arg in enumerate(args) if arg is removed)
    del args[index]
    if index:
        args[index - 1] = _without_comments_above(args[index - 1])
    if index < len(args):  # not the last one: the lines around it are untouched
        return call.with_changes(args=args)
    if not args:
        return call.with_changes(args=[])
    prev = args[-1]
    tail = removed.comma.whitespace_after if type(removed.comma) is cst.Comma else removed.whitespace_after_arg
    between = prev.comma.whitespace_after if type(prev.comma) is cst.Comma else None
    if type(between) is cst.ParenthesizedWhitespace and (
            type(tail) is cst.ParenthesizedWhitespace or between.first_line.comment is not None
            or any(line.comment is not None for line in between.empty_lines)):
        # one argument per line: the previous line keeps its comma and comment; the parenthesis
        # closes as before, or (when it closed on the removed line) on a line of its own
        closing = tail if type(tail) is cst.ParenthesizedWhitespace else between.with_changes(last_line=cst.SimpleWhitespace(""))
        ws = between.with_changes(indent=closing.indent, last_line=closing.last_line)
        args[-1] = prev.with_changes(comma=prev.comma.with_changes(whitespace_after=ws))
    elif type(between) is cst.ParenthesizedWhitespace:  # `    nn.Softmax(dim=1))`: close on the line above
        args[-1] = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=cst.SimpleWhitespace(""))
    else:
        args[-1] = prev.with_changes(comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg)
    return call.with_changes(args=args)


def _without_comments_above(arg: cst.Arg) -> cst.Arg:
    """``arg`` without the comment lines that end its separator: the lines right above the next
    argument, which described that argument."""
    whitespace = arg.comma.whitespace_after if type(arg.comma) is cst.Comma else None
    if type(whitespace) is not cst.ParenthesizedWhitespace or not whitespace.empty_lines:
        return arg
    lines = list(whitespace.empty_lines)
    while lines and lines[-1].comment is not None:
        lines.pop()
    return arg.with_changes(comma=arg.comma.with_changes(whitespace_after=whitespace.with_changes(empty_lines=lines)))


def statement_line(code: str) -> cst.BaseStatement:
    """One statement parsed from ``code`` (``optimizer.zero_grad()``)."""
    return cst.parse_statement(code if code.endswith("\n") else code + "\n")
