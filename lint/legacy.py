"""Reading training scripts that are not plain Python 3.7+: written for Python 2 or Python 3.6
and older, or exported from a notebook with its IPython lines (Colab's "Download .py" keeps
``!pip install ...`` and ``%cd ...`` as they are).

PyTorch ran on Python 2 until 1.4 (2020), and its 0.3/0.4-era examples moved tensors with
``x.cuda(async=True)``, which stopped parsing when Python 3.7 made ``async`` a keyword. A great
deal of public training code is of that age, and its mistakes are the ones fitlint looks for
(the pre-1.1 scheduler order, ``volatile=True`` evaluations); but libcst parses Python 3 only,
so such a file used to get one FIT000 and nothing else.

``modernized`` rewrites, only after the parse failed, the few constructs of that code that no
Python 3.7+ grammar accepts, line by line and without adding or removing a line, so that every
finding keeps its line (a rewritten line's later columns move by a character or two). The engine
first neutralizes IPython lines (shell escapes, magics become ``pass``) as the notebook reader does
(``fitlint.notebook.neutralize``); then:

- ``async`` as a keyword argument or parameter name -> ``async_``;
- the print statement (``print "loss", loss``) -> a tuple expression (``print, "loss", loss``),
  which parses and reads the same names;
- ``except Error, e:`` -> ``except Error as e:``;
- ``raise Error, "message"`` -> ``raise Error("message")`` (on one line).

The text analysed is then not the user's: the engine offers no fix on such a file (a fix would
write the rewritten lines back), and shows the user's own lines.
"""

from __future__ import annotations

import re

_ASYNC_NAME = re.compile(r"\basync(\s*=)(?!=)")
# `print` as a statement: at the start of a line (or after `if ...:` on one line) and followed by
# what can only start its operand (a string, a name, a number, a bracket Python 3 would not call)
_PRINT_STATEMENT = re.compile(r"^(\s*(?:[^#\n'\"]*:\s*)?)print(\s+)(?=[\w\"'{`\[-])(?!(?:in|is|and|or|if|else)\b)")
_EXCEPT_COMMA = re.compile(r"^(\s*except\s+)([\w.]+|\([^()]*\))\s*,\s*(\w+)(\s*:)")
_RAISE_COMMA = re.compile(r"^(\s*raise\s+)([\w.]+)\s*,\s*(.+?)\s*$")


def modernized(source: str) -> str | None:
    """``source`` with its Python 2 / pre-3.7 constructs rewritten (see the module docstring), or
    None when there was nothing to rewrite."""
    lines = source.splitlines(keepends=True)
    changed = False
    for index, line in enumerate(lines):
        new = _modern_line(line)
        if new != line:
            lines[index] = new
            changed = True
    return "".join(lines) if changed else None


def _modern_line(line: str) -> str:
    body = line.rstrip("\r\n")
    ending = line[len(body):]
    if "async" in body:
        body = _ASYNC_NAME.sub(r"async_\1", body)
    if "print" in body:
        body = _PRINT_STATEMENT.sub(r"\1print,\2", body, count=1)
    if "except" in body:
        body = _EXCEPT_COMMA.sub(r"\1\2 as \3\4", body, count=1)
    if "raise" in body and "#" not in body and not body.endswith(("\\", ",", "(")):
        body = _RAISE_COMMA.sub(r"\1\2(\3)", body, count=1)
    return body + ending
