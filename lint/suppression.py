"""Suppression comments: ``# fitlint: ignore[...]``, ``# noqa[: ...]`` and ``# fitlint: ignore-file[...]``.

Directives are read from real comment tokens, so ``"# noqa"`` inside a string suppresses nothing.
Codes are stored as upper-case prefixes; ``EVERY_CODE`` (the empty prefix, which starts every code)
stands for a directive without a code list.
"""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field
from typing import Iterable, Iterator

EVERY_CODE = ""
# ignore-file, leading or in the first lines of the file, as comment-only lines.
FILE_DIRECTIVE_LINES = 10

_FITLINT = re.compile(r"#\s*fitlint\s*:\s*(?P<kind>ignore-file|ignore)\b(?:\s*\[(?P<codes>[^\]]*)\])?", re.I)
# As flake8 reads it: codes must follow the colon directly, else the noqa is bare and covers all.
_NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.I)
_COMMENT_IN_LINE = re.compile(r"#.*$")
_MAY_HOLD_DIRECTIVE = re.compile(r"#[^\n\r]*(?:noqa|fitlint)", re.I)


@dataclass(frozen=True)
class _Comment:
    line: int
    text: str
    alone_on_line: bool
    in_header: bool


@dataclass(frozen=True)
class Suppressions:
    file_codes: frozenset[str] = frozenset()
    line_codes: dict[int, frozenset[str]] = field(default_factory=dict)

    @classmethod
    def parse(cls, source: str) -> Suppressions:
        # Most files carry no directive (a directive is in a comment: after a `#` on its line);
        # skip tokenizing them (the first tokenize of a run also compiles tokenize's patterns)
        if not _MAY_HOLD_DIRECTIVE.search(source):
            return cls()
        try:
            comments = list(_comment_tokens(source))
        except (tokenize.TokenError, SyntaxError):
            # Unbalanced brackets or an unterminated string: the file will not parse either, but a
            # file-level directive should still silence it, so read comments line by line.
            comments = list(_comments_by_regex(source))
        file_codes: set[str] = set()
        line_codes: dict[int, set[str]] = {}
        for comment in comments:
            for kind, codes in _directives(comment.text):
                if kind == "ignore-file":
                    if comment.in_header or (comment.alone_on_line and comment.line <= FILE_DIRECTIVE_LINES):
                        file_codes |= codes
                else:
                    line_codes.setdefault(comment.line, set()).update(codes)
        return cls(frozenset(file_codes), {line: frozenset(codes) for line, codes in line_codes.items()})

    def suppresses(self, code: str, line: int, statement_first_line: int | None = None) -> bool:
        """Whether a finding ``code`` reported on ``line`` (in a statement starting on
        ``statement_first_line``) is silenced by a file-level or a line directive."""
        code = code.upper()
        if _covers(self.file_codes, code):
            return True
        lines = {line} if statement_first_line is None else {line, statement_first_line}
        return any(_covers(self.line_codes.get(number, frozenset()), code) for number in lines)


def _covers(prefixes: frozenset[str], code: str) -> bool:
    return any(code.startswith(prefix) for prefix in prefixes)


def _directives(comment: str) -> Iterator[tuple[str, frozenset[str]]]:
    """(kind, code prefixes) for each directive in one comment, ``ignore`` or ``ignore-file``. A
    noqa is an ``ignore``; the codes of other tools it lists (E501) are no prefix of a FIT code, so
    a noqa that lists only those silences nothing here."""
    for match in _FITLINT.finditer(comment):
        yield match["kind"].lower(), _prefixes(match["codes"])
    for match in _NOQA.finditer(comment):
        yield "ignore", _prefixes(match["codes"])


def _prefixes(codes: str | None) -> frozenset[str]:
    """Upper-case codes from ``"FIT101, fit2"``; a missing or empty list means every code."""
    found = frozenset(code.upper() for code in re.split(r"[,\s]+", codes or "") if code)
    return found or frozenset({EVERY_CODE})


def _comment_tokens(source: str) -> Iterator[_Comment]:
    """Every comment token, and whether it lies in the file's header: before the first statement
    other than the module docstring."""
    in_header = True
    docstring = "expected"
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        if token.type == tokenize.COMMENT:
            alone = not token.line[: token.start[1]].strip()
            yield _Comment(token.start[0], token.string, alone, in_header)
        elif token.type == tokenize.STRING and docstring == "expected":
            docstring = "open"
        elif token.type == tokenize.NEWLINE and docstring == "open":
            docstring = "done"
        elif token.type not in _LAYOUT_TOKENS and docstring != "open":
            in_header = False
            docstring = "done"


_LAYOUT_TOKENS = frozenset({tokenize.NL, tokenize.NEWLINE, tokenize.ENCODING, tokenize.ENDMARKER})


def _comments_by_regex(source: str) -> Iterable[_Comment]:
    """A fallback for source that does not tokenize: a ``#`` to the end of each line (this can
    misread a ``#`` inside a string, which is acceptable for a file that does not parse)."""
    in_header = True
    for number, line in enumerate(source.splitlines(), start=1):
        stripped = line.strip()
        alone = stripped.startswith("#")
        if stripped and not alone:
            in_header = False
        match = _COMMENT_IN_LINE.search(line)
        if match:
            yield _Comment(number, match.group(), alone, in_header and alone)
