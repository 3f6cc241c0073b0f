"""What a reader is, and the record layout every reader returns.

A reader is a ``Reader`` class in a module of ``fitlint.logs.readers`` (discovered, not listed).
It claims only the files it recognizes (by name, then by a look at the first bytes), says which run
a file belongs to (``run_key``), and turns files into ``Piece``s: raw records
``name, split_hint, epoch, step, value`` that ``fitlint.logs.tidy`` maps to split and metric.
Readers raise ``LogReadError`` for bad input; the engine turns it into one line on stderr.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

if TYPE_CHECKING:
    import pandas as pd

RECORD_COLUMNS = ["name", "split_hint", "epoch", "step", "value"]


class LogReadError(Exception):
    """Bad input: ``str(error)`` is the one line shown to the user (the engine adds the path)."""

    def __init__(self, path: Path | str, problem: str) -> None:
        super().__init__(f"{path}: {problem}")
        self.path = str(path)
        self.problem = problem


@dataclass
class Piece:
    """What one reader read for one run: raw records plus what it learned on the way."""

    source: str
    path: Path
    records: pd.DataFrame
    name: str | None = None
    notes: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    num_classes: int | None = None
    # True when ``epoch`` holds real epochs; False when the reader only knows steps.
    has_epochs: bool = True


class Reader:
    name: ClassVar[str]
    # Used to pick the primary source when one folder holds several formats of the same run.
    priority: ClassVar[int] = 0
    # True: every file of a run_key is read in one call (np.savetxt files, TensorBoard, MLflow).
    grouped: ClassVar[bool] = False

    def claims(self, path: Path, head: bytes) -> bool:
        raise NotImplementedError

    def run_key(self, path: Path) -> Path:
        return path.parent

    def read(self, files: list[Path]) -> list[Piece]:
        raise NotImplementedError


def records(rows: dict[str, list]) -> pd.DataFrame:
    import pandas as pd

    frame = pd.DataFrame(rows)
    for column in RECORD_COLUMNS:
        if column not in frame:
            frame[column] = None
    for column in ("epoch", "step", "value"):
        if frame[column].dtype != "float64":
            frame[column] = pd.to_numeric(frame[column], errors="coerce").astype("float64")
    for column in ("name", "split_hint"):
        if not isinstance(frame[column].dtype, pd.CategoricalDtype):
            frame[column] = frame[column].astype("category")
    return frame[RECORD_COLUMNS]


def looks_binary(head: bytes) -> bool:
    return b"\x00" in head[:4096]


def checked_bytes(path: Path, data: bytes | None, expected: str) -> bytes:
    """A text log's bytes, refusing an empty file and a binary one (``expected`` names the format
    in the message: "not a CSV log")."""
    if data is None:
        data = path.read_bytes()
    if not data or data.isspace():  # no strip(): that would copy a large file
        raise LogReadError(path, "empty file")
    if looks_binary(data):
        raise LogReadError(path, f"binary file (NUL bytes), not {expected}")
    return data


@lru_cache(maxsize=1)
def all_readers() -> tuple[Reader, ...]:
    """One instance of every ``Reader`` in the modules of ``fitlint.logs.readers``, highest priority first."""
    import fitlint.logs.readers as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        cls = getattr(module, "Reader", None)
        if isinstance(cls, type) and issubclass(cls, Reader) and cls is not Reader:
            found.append(cls())
    return tuple(sorted(found, key=lambda r: -r.priority))
