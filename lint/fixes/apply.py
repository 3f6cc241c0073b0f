"""Applying fixes: edits anchored on nodes of the analyzed tree, applied in one libcst transform.

A fix whose nodes overlap another fix's (the same node, or one inside a node another fix
replaces) waits for the next pass; the engine re-scans after every pass (as ruff does), so a file
converges and a second ``--fix`` changes nothing.
"""

from __future__ import annotations

from typing import Sequence

import libcst as cst

from fitlint.rule import Edit, Fix
from fitlint.analysis.script import STATEMENT_TYPES, children, paths_to


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
        if isinstance(original_node, cst.IndentedBlock):
            return self._tidy_block(original_node, updated_node)
        edit = self.edits.get(id(original_node))
        if edit is None:
            return updated_node
        result = updated_node if edit.replacement is None else edit.replacement
        if not (edit.before or edit.after):
            return result
        kept = [] if result is cst.RemovalSentinel.REMOVE else [result]
        return cst.FlattenSentinel([*edit.before, *kept, *edit.after])


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


def apply_fixes(module: cst.Module, fixes: Sequence[Fix]) -> tuple[cst.Module, int]:
    """The module with the compatible fixes applied, and how many were applied."""
    chosen = select_compatible(fixes)
    if not chosen:
        return module, 0
    edits = {id(edit.node): edit for fix in chosen for edit in fix.edits}
    nodes = [edit.node for fix in chosen for edit in fix.edits]
    return module.visit(_Apply(edits, _ancestors(module, nodes))), len(chosen)
