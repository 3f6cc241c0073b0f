"""Small builders for the edits rules propose, shared so every fix formats code the same way."""

from __future__ import annotations

from typing import Callable

import libcst as cst

from fitlint.rule import Edit
from fitlint.analysis.script import code_of


def with_keyword(call: cst.Call, keyword: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``keyword=value`` set: the existing argument's value replaced, or a new
    argument appended in the call's own layout (one line, or one argument per line)."""
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
    if isinstance(last.comma, cst.Comma):
        separator = args[-2].comma if len(args) > 1 and isinstance(args[-2].comma, cst.Comma) else cst.Comma(
            whitespace_after=cst.SimpleWhitespace(" "))
        args[-1] = last.with_changes(comma=separator)
        new = new.with_changes(comma=last.comma)
    else:
        args[-1] = last.with_changes(comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")))
    return call.with_changes(args=[*args, new])


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


def is_lone_call(statement: cst.CSTNode, call: cst.Call) -> bool:
    """The statement is just ``call`` (a line that can be moved or removed whole)."""
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and len(statement.body) == 1
        and isinstance(statement.body[0], cst.Expr)
        and statement.body[0].value is call
    )


def block_statements(node: cst.CSTNode) -> list[cst.BaseStatement] | None:
    """The statements of a compound statement's indented body, or None for a one-line body."""
    body = getattr(node, "body", None)
    return list(body.body) if isinstance(body, cst.IndentedBlock) else None


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
    if not isinstance(call.func, cst.Attribute):
        return None
    return call.with_changes(func=call.func.with_changes(attr=cst.Name(name)))


def without_arg(call: cst.Call, removed: cst.Arg) -> cst.Call:
    """``call`` without one of its arguments, in the call's own layout: one line stays one line; in
    a call with one argument per line the line of the removed argument goes (with its comment) and
    the closing parenthesis keeps its indentation."""
    args = list(call.args)
    index = next(i for i, arg in enumerate(args) if arg is removed)
    del args[index]
    if index < len(args):  # not the last one: the lines around it are untouched
        return call.with_changes(args=args)
    if not args:
        return call.with_changes(args=[])
    prev = args[-1]
    tail = removed.comma.whitespace_after if isinstance(removed.comma, cst.Comma) else removed.whitespace_after_arg
    between = prev.comma.whitespace_after if isinstance(prev.comma, cst.Comma) else None
    if isinstance(between, cst.ParenthesizedWhitespace):
        # one argument per line: keep the previous line's comma and comment, close as before
        if isinstance(tail, cst.ParenthesizedWhitespace):
            ws = between.with_changes(indent=tail.indent, last_line=tail.last_line)
        else:  # `    nn.Softmax(dim=1))`: the parenthesis closed on the removed line
            ws = cst.SimpleWhitespace("")
            args[-1] = prev.with_changes(comma=cst.MaybeSentinel.DEFAULT, whitespace_after_arg=ws)
            return call.with_changes(args=args)
        args[-1] = prev.with_changes(comma=prev.comma.with_changes(whitespace_after=ws))
    else:
        args[-1] = prev.with_changes(comma=removed.comma, whitespace_after_arg=removed.whitespace_after_arg)
    return call.with_changes(args=args)


def statement_line(code: str) -> cst.BaseStatement:
    """One statement parsed from ``code`` (``optimizer.zero_grad()``)."""
    return cst.parse_statement(code if code.endswith("\n") else code + "\n")
