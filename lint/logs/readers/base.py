"""What a reader is, and the record layout every reader returns.

A reader is a ``Reader`` subclass in a module of ``fitlint.logs.readers`` (found by
``fitlint.plugin.discover``, never listed).
It claims only the files it recognizes (by name, then by a look at the first bytes), says which run
a file belongs to (``run_key``), and turns files into ``Piece``s: raw records
``name, split_hint, epoch, step, value`` that ``fitlint.logs.tidy`` maps to split and metric.
Readers raise ``LogReadError`` for bad input; the engine turns it into one line on stderr.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, ClassVar

from fitlint.plugin import discover

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


def records(name, value, *, epoch=math.nan, step=math.nan, split_hint=None) -> pd.DataFrame:
    """The record layout every reader returns: ``name, split_hint, epoch, step, value``.

    Each argument is one value per record or a single value shared by all of them; ``name`` and
    ``split_hint`` may be a ``pandas.Categorical`` (a per-step CSV repeats a few names millions of
    times: codes, never strings).
    """
    import numpy as np
    import pandas as pd

    values = np.asarray(value, dtype="float64")
    size = values.shape[0] if values.ndim else 0
    columns = {"name": _labels(name, size), "split_hint": _labels(split_hint, size)}
    for column, given in (("epoch", epoch), ("step", step)):
        array = np.asarray(given, dtype="float64")
        columns[column] = np.full(size, float(array)) if array.ndim == 0 else array
    columns["value"] = values.reshape(size)
    return pd.DataFrame(columns)[RECORD_COLUMNS]


def _labels(given, size: int):
    import numpy as np
    import pandas as pd

    if isinstance(given, pd.Categorical):
        return given
    if given is None or isinstance(given, str):
        codes = np.zeros(size, dtype="int8") if given is not None else np.full(size, -1, dtype="int8")
        return pd.Categorical.from_codes(codes, [given] if given is not None else [])
    return pd.Categorical(list(given) if not hasattr(given, "dtype") else given)


class RecordList:
    """Records gathered one at a time (a text log read line by line), in the shared layout."""

    def __init__(self) -> None:
        self._rows: dict[str, list] = {column: [] for column in RECORD_COLUMNS}

    def add(self, name: str, value: float, *, epoch: float = math.nan, step: float = math.nan,
            split_hint: str | None = None) -> None:
        for column, item in zip(RECORD_COLUMNS, (name, split_hint, epoch, step, value)):
            self._rows[column].append(item)

    def __len__(self) -> int:
        return len(self._rows["name"])

    def frame(self) -> pd.DataFrame:
        rows = self._rows
        return records(rows["name"], rows["value"], epoch=rows["epoch"], step=rows["step"],
                       split_hint=rows["split_hint"])


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
    return tuple(sorted((reader() for reader in discover("fitlint.logs.readers", Reader)),
                        key=lambda reader: -reader.priority))
