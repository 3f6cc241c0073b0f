"""Small builders for the edits rules propose, shared so every fix formats code the same way."""

from __future__ import annotations

import libcst as cst

from fitlint.rule import Edit


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


def moved(statement: cst.SimpleStatementLine) -> cst.SimpleStatementLine:
    """A statement ready to be inserted elsewhere: its leading blank lines dropped, its comments kept."""
    return statement.with_changes(leading_lines=[line for line in statement.leading_lines if line.comment])


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
