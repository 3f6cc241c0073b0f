"""Jupyter notebooks as programs: the code cells in notebook order, IPython syntax neutralized.

The code cells are joined into one program so that a model defined in cell 3 and evaluated in
cell 9 is understood. A cell indented as a whole is dedented as IPython does before running it
(the first code line's indentation is removed from every line that starts with it); the removed
width is kept per line, so columns map back too. Every line keeps its place: IPython-only lines (magics, shell escapes, help
and auto-call forms) become ``pass`` (or ``name = None`` for ``x = !ls``) at the same indentation,
and a cell written in another language (``%%bash``, ``%%writefile config.yaml``...) becomes blank
lines, so a finding's line maps back to its cell and line exactly. A ``%%writefile train.py`` cell is
Python the notebook saves to run or import, read as part of the program when it parses. A cell written for Python 2 is read as
``fitlint.legacy`` rewrites it, line for line. A cell that still does not parse is left out of the
program and reported on its own.
"""

from __future__ import annotations

import ast
import json
import re
from dataclasses import dataclass, field

# Cell magics whose body is still Python; any other cell magic makes the cell another language.
PYTHON_CELL_MAGICS = frozenset({"time", "timeit", "capture", "prun", "debug", "pypy", "python", "python3", "memit", "tensorflow_version"})

_MAGIC_LINE = re.compile(r"^(\s*)(%|!|\?|/)")
_ASSIGNED_MAGIC = re.compile(r"^(\s*)([A-Za-z_][\w.]*(?:\s*,\s*[A-Za-z_][\w.]*)*)\s*=\s*[%!]")
_HELP_SUFFIX = re.compile(r"^(\s*)[\w.\[\]()'\"]+\?{1,2}\s*$")
_AUTOCALL = re.compile(r"^(\s*)[,;][A-Za-z_]")


class NotebookError(Exception):
    """A notebook that cannot be read as one: a one-line description."""


@dataclass(frozen=True)
class CellError:
    cell: int
    line: int
    column: int
    message: str


@dataclass
class NotebookProgram:
    """The joined source and, for each of its lines (1-based), the cell and line it came from."""

    source: str
    places: list[tuple[int, int]] = field(default_factory=list)
    cells: dict[int, str] = field(default_factory=dict)
    errors: list[CellError] = field(default_factory=list)
    # per program line: how many leading characters the cell's dedent removed
    shifts: list[int] = field(default_factory=list)

    def place(self, line: int) -> tuple[int, int]:
        if 1 <= line <= len(self.places):
            return self.places[line - 1]
        return self.places[-1] if self.places else (1, 1)

    def shift(self, line: int) -> int:
        """The width removed at the start of a program line: add it to a column to get the cell's."""
        return self.shifts[line - 1] if 1 <= line <= len(self.shifts) else 0


def read_notebook(text: str) -> NotebookProgram:
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not a valid notebook: invalid JSON at line {error.lineno} column {error.colno}") from None
    if not isinstance(document, dict):
        raise NotebookError("not a valid notebook: the top level is not a JSON object")
    if "worksheets" in document or document.get("nbformat", 4) < 4:
        raise NotebookError(f"nbformat {document.get('nbformat', '?')} is not supported (convert with `jupyter nbconvert --to notebook`)")
    cells = document.get("cells")
    if not isinstance(cells, list):
        raise NotebookError("not a valid notebook: no 'cells' list")
    program = NotebookProgram(source="")
    lines: list[str] = []
    for number, cell in enumerate(cells, 1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = _cell_source(cell, number)
        dedented, shifts = dedent_cell(source)
        code = neutralize(dedented)
        program.cells[number] = source
        error = _syntax_error(code)
        if error is not None:
            # a Python 2 cell (print statements, `async=True`): read as rewritten; the rewritten
            # lines are neutralized lines, which no fix replaces and every write restores
            from fitlint.legacy import modernized

            legacy = modernized(code)
            if legacy is not None and _syntax_error(legacy) is None:
                code, error = legacy, None
        if error is not None:
            # IPython's automagic (on by default in Colab and Jupyter): `pip install x`, `cd data`
            # run as `%pip install x`, `%cd data`; read only when the cell does not parse without it
            magic = without_automagic(code)
            if magic != code:
                # the cell's own error, if any, is the one past its automagic lines
                code, error = magic, _syntax_error(magic)
        if error is not None and _writes_python(dedented.lstrip().split("\n", 1)[0]):
            # a file the notebook writes out (a template, another version of Python): not part
            # of the notebook's program, and no error of the notebook's
            code, error = "\n".join("" for _ in code.split("\n")), None
        if error is not None:
            line, column, message = error
            shift = shifts[line - 1] if line <= len(shifts) else 0
            program.errors.append(CellError(number, line, column + shift, message))
            continue
        cell_lines = code.split("\n")
        for index, line in enumerate(cell_lines, 1):
            lines.append(line)
            program.places.append((number, index))
            program.shifts.append(shifts[index - 1])
    program.source = "\n".join(lines) + "\n" if lines else ""
    return program


def _cell_source(cell: dict, number: int) -> str:
    """A cell's text. nbformat 4 allows a list of lines or one string; both are read."""
    source = cell.get("source", "")
    if isinstance(source, list) and all(isinstance(part, str) for part in source):
        return "".join(source)
    if isinstance(source, str):
        return source
    raise NotebookError(f"cell {number}: 'source' is neither a string nor a list of strings")


def dedent_cell(source: str) -> tuple[str, list[int]]:
    """The cell as IPython runs it, and the width removed from each line: when the first line
    that is not blank is indented, that indentation is removed from every line starting with it
    (IPython's ``leading_indent``, after its ``leading_empty_lines``); other lines are kept."""
    lines = source.split("\n")
    first = next((line for line in lines if line.strip()), "")
    indent = first[: len(first) - len(first.lstrip(" \t"))]
    if not indent:
        return source, [0] * len(lines)
    out, shifts = [], []
    for line in lines:
        if line.startswith(indent):
            out.append(line[len(indent):])
            shifts.append(len(indent))
        else:
            out.append(line)
            shifts.append(0)
    return "\n".join(out), shifts


def neutralize(source: str) -> str:
    """IPython syntax replaced by plain Python of the same line count."""
    lines = source.split("\n")
    first = lines[0].strip() if lines else ""
    if first.startswith("%%"):
        magic = first[2:].split(None, 1)[0] if len(first) > 2 else ""
        if magic not in PYTHON_CELL_MAGICS and not _writes_python(first):
            return "\n".join("" for _ in lines)
        lines[0] = "pass"
    out = []
    depth = 0
    for line in lines:
        continued = depth > 0 or (out and out[-1].endswith("\\"))
        depth = max(0, depth + _bracket_balance(line))
        assigned = None if continued else _ASSIGNED_MAGIC.match(line)
        if continued:
            out.append(line)
        elif assigned:
            out.append(f"{assigned.group(1)}{assigned.group(2)} = None")
        elif _MAGIC_LINE.match(line) or _HELP_SUFFIX.match(line) or _AUTOCALL.match(line):
            indent = line[: len(line) - len(line.lstrip())]
            out.append(f"{indent}pass")
        else:
            out.append(line)
    return "\n".join(out)


def _writes_python(first: str) -> bool:
    """``%%writefile train.py`` (or ``-a``): the cell is a Python module the notebook saves and
    runs (``!python train.py``) or imports, read as Python like the cells around it."""
    words = first[2:].split()
    return len(words) >= 2 and words[0] in ("writefile", "file") and words[-1].strip("'\"").endswith(".py")


# line magics IPython runs without their `%` (automagic), when a line is one of them and their words
_AUTOMAGIC = re.compile(r"^([ \t]*)(?:pip3?|conda|cd|ls|mkdir|wget|unzip|nvidia-smi|pwd|load_ext|matplotlib)"
                        r"(?:[ \t]+(?![=.(\[,:])[^\n]*)?$", re.MULTILINE)



def without_automagic(code: str) -> str:
    """``code`` with its automagic lines (``cd data``, ``pip install timm``) made ``pass``: read
    only where the text does not parse with them (a name such as ``ls`` may be a variable)."""
    return _AUTOMAGIC.sub(lambda match: f"{match.group(1)}pass", code)


_STRINGS = re.compile(r"'(?:\\.|[^'\\])*'|\"(?:\\.|[^\"\\])*\"")


def _bracket_balance(line: str) -> int:
    """Opened minus closed brackets on a line (strings and comments ignored, roughly): a line
    that continues an open bracket is never IPython syntax, even if it starts with ``%`` or ``/``."""
    code = _STRINGS.sub("", line).split("#", 1)[0]
    return sum(code.count(c) for c in "([{") - sum(code.count(c) for c in ")]}")


def _syntax_error(code: str) -> tuple[int, int, str] | None:
    """CPython's diagnosis of a cell, or None when it parses (compiled to an AST only: nothing runs)."""
    try:
        compile(code, "<cell>", "exec", flags=ast.PyCF_ONLY_AST | ast.PyCF_ALLOW_TOP_LEVEL_AWAIT, dont_inherit=True)
    except SyntaxError as error:
        return max(error.lineno or 1, 1), max(error.offset or 1, 1), error.msg
    except (ValueError, RecursionError, MemoryError) as error:
        return 1, 1, str(error)
    return None


# --- writing cell sources back ---------------------------------------------------------------
# Only the changed cells' "source" values are replaced in the file's own text, so every other
# byte (outputs, metadata, key order, indentation, escapes) stays as it was.

_DECODER = json.JSONDecoder()
_BLANK = re.compile(r"[ \t\n\r]*")


def _skip(text: str, index: int) -> int:
    return _BLANK.match(text, index).end()


def _members(text: str, index: int):
    """(key, value start, value end) for each member of the JSON object starting at ``index``."""
    index = _skip(text, index + 1)
    while text[index] == '"':
        key, index = json.decoder.scanstring(text, index + 1)
        index = _skip(text, _skip(text, index) + 1)  # past the colon
        _, end = _DECODER.raw_decode(text, index)
        yield key, index, end
        index = _skip(text, end)
        if text[index] != ",":
            return
        index = _skip(text, index + 1)


def _elements(text: str, index: int):
    """(start, end) of each value of the JSON array starting at ``index``."""
    index = _skip(text, index + 1)
    while text[index] != "]":
        _, end = _DECODER.raw_decode(text, index)
        yield index, end
        index = _skip(text, end)
        if text[index] != ",":
            return
        index = _skip(text, index + 1)


def source_spans(text: str) -> dict[int, tuple[int, int]]:
    """Where each cell's ``source`` value lies in the notebook's text, by cell number (1-based,
    as Jupyter numbers cells)."""
    spans: dict[int, tuple[int, int]] = {}
    start = _skip(text, 0)
    for key, begin, _ in _members(text, start):
        if key != "cells":
            continue
        for number, (cell_start, _) in enumerate(_elements(text, begin), 1):
            for field_name, value_start, value_end in _members(text, cell_start):
                if field_name == "source":
                    spans[number] = (value_start, value_end)
    return spans


def with_cell_sources(text: str, sources: dict[int, str]) -> str:
    """The notebook's text with the ``source`` of the given cells replaced, written as the file
    writes it (a list of lines in the list's own layout, or one string)."""
    if not sources:
        return text
    spans = source_spans(text)
    ascii_only = text.isascii() and "\\u" in text
    out, last = [], 0
    for number in sorted(sources):
        start, end = spans[number]
        out += [text[last:start], _source_value(text[start:end], sources[number], ascii_only)]
        last = end
    out.append(text[last:])
    return "".join(out)


def _source_value(old: str, source: str, ascii_only: bool) -> str:
    def dumped(value: str) -> str:
        return json.dumps(value, ensure_ascii=ascii_only)

    if old.startswith('"'):
        return dumped(source)
    items = list(_elements(old, 0))
    lines = source.splitlines(keepends=True)
    if not lines:
        return "[]"
    if not items:
        return "[" + ", ".join(dumped(line) for line in lines) + "]"
    lead = old[1:items[0][0]]
    tail = old[items[-1][1]:-1]
    separator = old[items[0][1]:items[1][0]] if len(items) > 1 else "," + (lead or " ")
    return "[" + lead + separator.join(dumped(line) for line in lines) + tail + "]"
