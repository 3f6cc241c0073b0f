"""Where inserted code may go: never before the binding of a name it reads.

Inserting ``net.eval()`` at the top of ``def test(): net = Net(); ...`` makes ``net`` read before it
is assigned (UnboundLocalError). The edit builders place an insertion after the statements that
bind the names it reads (:func:`first_free_index`), and the fix loop refuses any fix whose
inserted code still reads a name of its function before every binding of it
(:func:`unbound_insertions`).

Python's rule is followed: a name assigned anywhere in a function (and not declared ``global`` or
``nonlocal``) is local to the whole function; module code reads a module name only once it is
assigned above. Only the order of statements is checked, not whether a binding inside a branch
runs: a binding above the insertion point is taken as made.
"""

from __future__ import annotations

from typing import Iterable, Sequence

import libcst as cst

from fitlint.rule import Fix
from fitlint.analysis.script import children, target_names
from fitlint.fixes.apply import insertions

_SCOPES = (cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp)


def names_read(nodes: Iterable[cst.CSTNode]) -> set[str]:
    """The plain names the nodes read (``net`` in ``net.eval()``; not attribute names or keywords)."""
    found: set[str] = set()
    stack = list(nodes)
    while stack:
        node = stack.pop()
        if type(node) is cst.Name:
            found.add(node.value)
        elif type(node) is cst.Attribute:
            stack.append(node.value)
        elif type(node) is cst.Arg:
            stack.append(node.value)
        else:
            stack.extend(children(node))
    return found


def names_bound(node: cst.CSTNode, deep: bool = True) -> set[str]:
    """The names a statement binds in its own scope: assignment, loop, ``with ... as``, import,
    ``def`` / ``class`` targets, walrus and ``except ... as`` names (not inside nested scopes);
    with ``deep=False``, not those of the statements in its blocks."""
    found: set[str] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        if not deep and type(current) is cst.IndentedBlock:
            continue
        if type(current) in (cst.FunctionDef, cst.ClassDef):
            found.add(current.name.value)
            if current is not node:
                continue
            stack.extend(current.decorators)
            continue
        if isinstance(current, _SCOPES):
            continue
        for target in _targets(current):
            found |= {name for name in target_names(target) if "." not in name}
        stack.extend(children(current))
    return found


def _targets(node: cst.CSTNode) -> list[cst.CSTNode]:
    if type(node) is cst.AssignTarget:
        return [node.target]
    if type(node) in (cst.AnnAssign, cst.AugAssign, cst.For):
        return [node.target]
    if type(node) is cst.NamedExpr:
        return [node.target]
    if type(node) in (cst.WithItem, cst.ExceptHandler) and node.asname is not None:
        return [node.asname.name]
    if type(node) is cst.ImportAlias:
        if node.asname is not None:
            return [node.asname.name]
        return [cst.Name(_import_head(node.name))]
    return []


def _import_head(name: cst.Attribute | cst.Name) -> str:
    while type(name) is cst.Attribute:
        name = name.value
    return name.value


def _declared_elsewhere(body: Sequence[cst.CSTNode]) -> set[str]:
    """Names a function declares ``global`` or ``nonlocal`` (not local, whatever it assigns)."""
    found: set[str] = set()
    stack = list(body)
    while stack:
        node = stack.pop()
        if type(node) in (cst.Global, cst.Nonlocal):
            found |= {item.name.value for item in node.names}
        elif not isinstance(node, _SCOPES):
            stack.extend(children(node))
    return found


def first_free_index(body: Sequence[cst.BaseStatement], start: int, reads: set[str],
                     params: Iterable[str] = ()) -> int | None:
    """The first index >= ``start`` of ``body`` (a function's statements) where code reading
    ``reads`` can go: after the last statement that binds one of those names. None when a name is
    bound only inside a statement after which nothing can be inserted at this level (a loop or a
    branch holding the binding: whether it ran is unknown)."""
    local = set().union(*(names_bound(statement) for statement in body))
    needed = (reads & local) - set(params) - _declared_elsewhere(body)
    index = start
    for position, statement in enumerate(body):
        bound = names_bound(statement) & needed
        if not bound:
            continue
        if type(statement) is not cst.SimpleStatementLine:
            return None
        index = max(index, position + 1)
    return index


def unbound_insertions(module: cst.Module, fixes: Sequence[Fix]) -> set[int]:
    """The fixes (by ``id``) whose inserted statements read a name of their function (or of the
    module) that no statement above the insertion point binds."""
    refused: set[int] = set()
    for fix, edit, path in insertions(module, fixes):
        scope = next((node for node in reversed(path[:-1]) if type(node) is cst.FunctionDef), module)
        for inserted, after in ((edit.before, False), (edit.after, True)):
            if inserted and _reads_unbound(scope, edit.node, after, names_read(inserted)):
                refused.add(id(fix))
    return refused


def _reads_unbound(scope: cst.Module | cst.FunctionDef, anchor: cst.CSTNode, after: bool, reads: set[str]) -> bool:
    body = scope.body.body if type(scope) is cst.FunctionDef else scope.body
    if not isinstance(body, Sequence):
        return False
    statements = _statements_in_order(body)
    local = set().union(*(names_bound(statement) for statement in body))
    needed = (reads & local) - _params(scope) - _declared_elsewhere(body)
    if not needed:
        return False
    position = next((index for index, (statement, _) in enumerate(statements) if statement is anchor), None)
    if position is None:
        return False
    end = statements[position][1] + 1 if after else position
    bound_above = set().union(*(names_bound(statement, deep=False) for statement, _ in statements[:end]))
    return bool(needed - bound_above)


def _params(scope: cst.Module | cst.FunctionDef) -> set[str]:
    if type(scope) is not cst.FunctionDef:
        return set()
    params = scope.params
    found = {param.name.value for param in (*params.posonly_params, *params.params, *params.kwonly_params)}
    return found | {star.name.value for star in (params.star_arg, params.star_kwarg) if type(star) is cst.Param}


def _statements_in_order(body: Sequence[cst.CSTNode]) -> list[tuple[cst.CSTNode, int]]:
    """Each statement of a scope (nested blocks included, nested scopes not), in source order,
    with the index of the last statement inside it."""
    out: list[list] = []

    def visit(statement: cst.CSTNode) -> None:
        entry = [statement, 0]
        out.append(entry)
        if type(statement) not in (cst.FunctionDef, cst.ClassDef):
            for block in _blocks(statement):
                for inner in block:
                    visit(inner)
        entry[1] = len(out) - 1

    for statement in body:
        visit(statement)
    return [(statement, last) for statement, last in out]


def _blocks(node: cst.CSTNode) -> list[Sequence[cst.CSTNode]]:
    """The statement lists directly under a compound statement, in source order (an ``elif`` is
    a statement of its own)."""
    blocks: list[Sequence[cst.CSTNode]] = []
    for child in children(node):
        if type(child) is cst.IndentedBlock:
            blocks.append(child.body)
        elif type(child) is cst.If:
            blocks.append([child])
        elif type(child) in (cst.Else, cst.Finally, cst.ExceptHandler, cst.ExceptStarHandler):
            blocks += _blocks(child)
    return blocks
