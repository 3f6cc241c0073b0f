"""Fixing a notebook: its code cells are fixed as one program, and each cell gets its own lines back.

The program is the one the scan reads (``fitlint.notebook.read_notebook``: the parsed code cells
in order, IPython lines neutralized), with a marker comment line (``apply.CELL_MARKER``) at the
start of each cell. A fix is offered only when all its edits lie in one cell and none replaces a
neutralized line (:func:`fix_allowed`). The fixed text is split at the markers and each cell's
lines are mapped back (:func:`cell_sources`): an unchanged line is the cell's own line (its magic
restored), a changed line must not be a neutralized one, and a cell whose lines the scan reads
re-indented takes no edit at all. Anything else refuses the fix.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from typing import Callable

import libcst as cst

from fitlint.fixes.apply import CELL_MARKER
from fitlint.notebook import NotebookProgram
from fitlint.positions import node_positions
from fitlint.rule import Fix

# What a line of the scanned program is: (cell, neutralized) for a cell's line, None for a marker.
Origin = Callable[[int], "tuple[int, bool] | None"]


@dataclass(frozen=True)
class MarkedProgram:
    """The program with a marker line before each cell, and where each of its lines comes from."""

    text: str
    origins: tuple[tuple[int, int] | None, ...]  # per line: (cell, index in the cell) or None
    neutral: dict[int, list[str]]  # the cell's lines as the scan reads them
    original: dict[int, list[str]]  # the cell's own lines

    def origin(self, line: int) -> tuple[int, bool] | None:
        place = self.origins[line - 1] if 0 < line <= len(self.origins) else None
        if place is None:
            return None
        cell, index = place
        return cell, self.original[cell][index] != self.neutral[cell][index]


def marked_program(program: NotebookProgram) -> MarkedProgram:
    lines = program.source.split("\n")
    neutral: dict[int, list[str]] = {}
    for line, (cell, _) in zip(lines, program.places):
        neutral.setdefault(cell, []).append(line)
    text: list[str] = []
    origins: list[tuple[int, int] | None] = []
    for cell, cell_lines in neutral.items():
        text.append(CELL_MARKER.format(cell))
        origins.append(None)
        text += cell_lines
        origins += [(cell, index) for index in range(len(cell_lines))]
    original = {cell: program.cells[cell].split("\n") for cell in neutral}
    return MarkedProgram("\n".join(text) + "\n" if text else "", tuple(origins), neutral, original)


def plain_origin(program: NotebookProgram) -> Origin:
    """:meth:`MarkedProgram.origin` for the program without markers (the scan's)."""
    lines = program.source.split("\n")
    originals = {cell: source.split("\n") for cell, source in program.cells.items()}

    def origin(line: int) -> tuple[int, bool] | None:
        if not 0 < line <= len(program.places):
            return None
        cell, index = program.places[line - 1]
        return cell, originals[cell][index - 1] != lines[line - 1]

    return origin


def fix_allowed(module: cst.Module, source: str, fix: Fix, origin: Origin) -> bool:
    """All the fix's edits lie in one cell, and none replaces or removes a neutralized line."""
    positions = node_positions(module, [edit.node for edit in fix.edits], source)
    cells = set()
    for edit in fix.edits:
        span = positions[id(edit.node)]
        for line in range(span.start.line, span.end.line + 1):
            place = origin(line)
            if place is None:
                return False
            cells.add(place[0])
            if place[1] and edit.replacement is not None:
                return False
    return len(cells) == 1


def cell_sources(marked: MarkedProgram, text: str) -> dict[int, str] | None:
    """Each cell's source after fixing, or None when the fixed program cannot be mapped back."""
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    groups: dict[int, list[str]] = {}
    cells = iter(marked.neutral)
    current: list[str] | None = None
    for line in lines:
        if line.startswith(CELL_MARKER.split("{")[0]):
            cell = next(cells, None)
            if cell is None or line != CELL_MARKER.format(cell):
                return None
            current = groups.setdefault(cell, [])
        elif current is None:
            return None
        else:
            current.append(line)
    if next(cells, None) is not None:
        return None
    sources = {}
    for cell, new in groups.items():
        restored = _restored(marked.original[cell], marked.neutral[cell], new)
        if restored is None:
            return None
        sources[cell] = "\n".join(restored)
    return sources


def _restored(original: list[str], neutral: list[str], new: list[str]) -> list[str] | None:
    """The cell's lines after fixing, its own text where the fix left a line as it was."""
    if new == neutral:
        return original
    changed = [own != read for own, read in zip(original, neutral)]
    if all(changed[index] for index, line in enumerate(neutral) if line.strip()):
        return None  # the scan reads every line of this cell changed (re-indented): no edit maps back
    out: list[str] = []
    matcher = difflib.SequenceMatcher(None, neutral, new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            out += original[i1:i2]
        elif any(changed[i1:i2]):
            return None
        else:
            out += new[j1:j2]
    return out
