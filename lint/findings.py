"""The values every part of fitlint passes around: severities, splits and findings."""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum


class Word(str, Enum):
    """An enum whose members stand for their value wherever a string goes: printed, formatted,
    hashed (a set or dict of plain strings finds them), compared and written to JSON, on every
    Python version (a str-mixin Enum formats as its name from 3.11 and hashes its name)."""

    def __str__(self) -> str:
        return self.value

    def __format__(self, spec: str) -> str:
        return format(self.value, spec)

    __hash__ = str.__hash__


class Severity(Word):
    """How serious a finding is, for rules and log checks alike."""

    INFO = "info"
    WARNING = "warning"
    ERROR = "error"

    @property
    def rank(self) -> int:
        return _RANK[self]

    @classmethod
    def parse(cls, text: str) -> Severity:
        try:
            return cls(text.strip().lower())
        except ValueError:
            raise ValueError(
                f"unknown severity {text!r} (expected one of: error, warning, info)"
            ) from None


_RANK = {Severity.INFO: 0, Severity.WARNING: 1, Severity.ERROR: 2}


class Split(Word):
    """Which part of the data: the scanner's loaders, datasets and cuts, and the log analyzer's
    curves (its JSON writes the value) use the same three words."""

    TRAIN = "train"
    VALIDATION = "validation"
    TEST = "test"


# The splits a model is measured on rather than fitted to.
HELD_OUT = frozenset({Split.VALIDATION, Split.TEST})


@dataclass(frozen=True)
class Finding:
    """One reported problem. Lines and columns are 1-based; ``end_column`` is exclusive."""

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    fix: str | None = None
    fix_safe: bool = True
    suppressed: bool = False
    cell: int | None = None

    def sort_key(self) -> tuple:
        return (self.path, self.cell or 0, self.line, self.column, self.code)

    def to_json(self) -> dict:
        data = {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "fix": self.fix,
        }
        if self.cell is not None:
            data["cell"] = self.cell
        if self.suppressed:
            data["suppressed"] = True
        return data
