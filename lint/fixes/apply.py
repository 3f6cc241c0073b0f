"""Applying fixes: edits anchored on nodes of the analyzed tree, applied in one libcst transform.

A fix whose nodes overlap another fix's (the same node, or one inside a node another fix
replaces) waits for the next pass; ``fitlint.fixes.converge`` re-scans after every pass (as ruff
does) and keeps a fix only when its finding is gone.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from fitlint.rule import Edit, Fix
from fitlint.analysis.script import STATEMENT_TYPES, children, paths_to


# The line put before each cell of a notebook being fixed (see fitlint.fixes.notebook): code
# inserted before a cell's first statement goes below it, into that cell.
CELL_MARKER = "# <<fitlint cell {}>>"
_MARKER_START = CELL_MARKER.split("{")[0]


def _descendants(node: cst.CSTNode) -> set[int]:
    found: set[int] = set()
    stack = [node]
    while stack:
        current = stack.pop()
        found.add(id(current))
        stack.extend(children(current))
    return found


def select_compatible(fixes: Sequence[Fix]) -> list[Fix]:
    """The fixes that can be applied together, first come first served."""
    chosen: list[Fix] = []
    anchored: set[int] = set()
    covered: set[int] = set()
    for fix in fixes:
        ids = {id(edit.node) for edit in fix.edits}
        inner: set[int] = set()
        for edit in fix.edits:
            if edit.replacement is not None:
                inner |= _descendants(edit.node)
        if ids & anchored or ids & covered or inner & anchored:
            continue
        chosen.append(fix)
        anchored |= ids
        covered |= inner
    return chosen


def _below_cell_marker(inserted: cst.BaseStatement, node: cst.BaseStatement):
    """``inserted`` and ``node`` with the cell marker among ``node``'s leading lines (and the lines
    above it) moved onto ``inserted``: the insertion lands in the cell ``node`` starts."""
    lines = list(getattr(node, "leading_lines", ()))
    last = max((i for i, line in enumerate(lines) if line.comment is not None
                and line.comment.value.startswith(_MARKER_START)), default=None)
    if last is None:
        return inserted, node
    return (inserted.with_changes(leading_lines=[*lines[:last + 1], *inserted.leading_lines]),
            node.with_changes(leading_lines=lines[last + 1:]))


def _merged(first: Edit, second: Edit) -> Edit:
    """Two edits of one fix on the same statement (``model.eval()`` before it, ``model.train()``
    after it) as one."""
    replacement = second.replacement if first.replacement is None else first.replacement
    return Edit(first.node, replacement, first.before + second.before, first.after + second.after)


def _ancestors(module: cst.Module, targets: list[cst.CSTNode]) -> set[int]:
    """The nodes on the way from the module to any of ``targets`` (the targets included); the
    walk skips expressions when every target is a statement."""
    statements_only = all(type(node) in STATEMENT_TYPES for node in targets)
    paths = paths_to(module, {id(node) for node in targets}, statements_only)
    return {id(node) for path in paths.values() for node in path}


class _Apply(cst.CSTTransformer):
    """Applies the edits, descending only into the nodes that lead to one: libcst's transformer
    rebuilds every node it enters, so the rest of the tree is handed back untouched."""

    def __init__(self, edits: dict[int, Edit], ancestors: set[int]) -> None:
        super().__init__()
        self.edits = edits
        self.ancestors = ancestors

    def on_visit(self, node) -> bool:
        return id(node) in self.ancestors

    def on_leave(self, original_node, updated_node):
        if type(original_node) is cst.IndentedBlock:
            return self._tidy_block(original_node, updated_node)
        edit = self.edits.get(id(original_node))
        if edit is None:
            return updated_node
        result = updated_node if edit.replacement is None else edit.replacement
        if not (edit.before or edit.after):
            return result
        before = list(edit.before)
        if before and result is not cst.RemovalSentinel.REMOVE:
            before[0], result = _below_cell_marker(before[0], result)
        kept = [] if result is cst.RemovalSentinel.REMOVE else [result]
        return cst.FlattenSentinel([*before, *kept, *edit.after])


    def _tidy_block(self, original: cst.IndentedBlock, updated: cst.IndentedBlock) -> cst.IndentedBlock:
        """When a block's first statement was removed, the blank lines that separated it from the
        next one would open the block: drop them (comments stay)."""
        first = self.edits.get(id(original.body[0])) if original.body else None
        if first is None or first.replacement is not cst.RemovalSentinel.REMOVE or first.before or not updated.body:
            return updated
        head = updated.body[0]
        lines = list(getattr(head, "leading_lines", ()))
        while lines and lines[0].comment is None:
            lines.pop(0)
        return updated.with_changes(body=[head.with_changes(leading_lines=lines), *updated.body[1:]])


def _same_code(module: cst.Module, first: cst.CSTNode, second: cst.CSTNode) -> bool:
    """Two statements that read the same, comments and blank lines above them aside."""
    def text(node: cst.CSTNode) -> str:
        if isinstance(node, cst.SimpleStatementLine | cst.BaseCompoundStatement):
            node = node.with_changes(leading_lines=[])
        return " ".join(module.code_for_node(node).split())
    return text(first) == text(second)


def insertions(module: cst.Module, fixes: Sequence[Fix]) -> list[tuple[Fix, Edit, list[cst.CSTNode]]]:
    """Each edit that inserts statements, with its fix and the nodes from the module down to the
    statement it is anchored on."""
    inserting = [(fix, edit) for fix in fixes for edit in fix.edits if edit.before or edit.after]
    if not inserting:
        return []
    paths = paths_to(module, {id(edit.node) for _, edit in inserting}, statements_only=True)
    return [(fix, edit, paths[id(edit.node)]) for fix, edit in inserting if id(edit.node) in paths]


def repeated_insertions(module: cst.Module, fixes: Sequence[Fix]) -> set[int]:
    """The fixes (by ``id``) that would insert a statement right next to an identical one: the
    same edit made a second time at the same place."""
    repeated: set[int] = set()
    for fix, edit, path in insertions(module, fixes):
        body = getattr(path[-2], "body", None) if len(path) > 1 else None
        index = next((i for i, statement in enumerate(body or ()) if statement is edit.node), None)
        if index is None:
            continue
        before = body[index - 1] if index > 0 else None
        after = body[index + 1] if index + 1 < len(body) else None
        if (edit.before and before is not None and _same_code(module, edit.before[-1], before)) or (
                edit.after and after is not None and _same_code(module, edit.after[0], after)):
            repeated.add(id(fix))
    return repeated


def apply_fixes(module: cst.Module, fixes: Sequence[Fix]) -> tuple[cst.Module, int]:
    """The module with the compatible fixes applied, and how many were applied."""
    chosen = select_compatible(fixes)
    if not chosen:
        return module, 0
    edits: dict[int, Edit] = {}
    for edit in (edit for fix in chosen for edit in fix.edits):
        edits[id(edit.node)] = _merged(edits[id(edit.node)], edit) if id(edit.node) in edits else edit
    nodes = [edit.node for fix in chosen for edit in fix.edits]
    return module.visit(_Apply(edits, _ancestors(module, nodes))), len(chosen)
