"""CSV logs: Keras ``CSVLogger``, Lightning ``CSVLogger`` (``metrics.csv``), and any CSV whose
columns map to split and metric.

Keras writes one row per epoch (``epoch,accuracy,loss,val_accuracy,val_loss``, older ``acc``,
``lr``), ``NA`` for a missing value and ``nan`` for a NaN loss, and with ``append=True`` a resumed
run appends rows whose epoch goes back: the later attempt replaces the rows it repeats. Its
documented file name is ``training.log``, so a file is recognized by its header (an ``epoch`` or
metric column name in every cell, numbers on the next line), whatever its extension. Lightning
writes one sparse row per logging call (``epoch``, ``step``, ``train_loss_step``,
``val_loss_epoch``...): empty cells are missing values.

The file is parsed once, by ``pandas.read_csv``: columns of numbers come back as floats; only a
column that holds text (a ``nan`` written by Keras, or garbage) goes through the string path.
Reading every column as ``dtype=str`` was measured at 13 s on a 1M-row file against 0.8 s for
this (benchmarks/bench_logs.py).
"""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.names import classify
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, looks_binary
from fitlint.logs.readers.table import MISSING, float_columns, wide_records

EPOCH_COLUMNS = ("epoch", "epochs")
STEP_COLUMNS = ("step", "global_step", "_step", "iteration")
CSV_SUFFIXES = (".csv", ".tsv")
HEAD_BYTES = 65536
_COLUMN_NAME = re.compile(r"[A-Za-z_][\w./ -]*")
_NUMBER_CELL = re.compile(r"[-+]?(\d+\.?\d*([eE][-+]?\d+)?|\.\d+([eE][-+]?\d+)?|nan|inf|infinity)?", re.IGNORECASE)


def delimiter(header: str) -> str:
    """The delimiter of a CSV header line (comma when the line has one column)."""
    try:
        return csv.Sniffer().sniff(header, delimiters=",\t;").delimiter
    except csv.Error:
        return ","


def _cells(line: str, sep: str) -> list[str]:
    return [cell.strip().strip('"') for cell in line.split(sep)]


def header_has_metrics(header: str) -> bool:
    return any(found and found[1] in ("loss", "accuracy")
               for found in map(classify, _cells(header, delimiter(header))))


def looks_like_metrics_csv(head: bytes) -> bool:
    """A header of column names with a loss or accuracy, and a first row of as many numbers: how
    Keras' ``CSVLogger('training.log')`` is told from a text log of the same extension."""
    lines = head.decode("utf-8", "replace").splitlines()
    if len(lines) < 2:
        return False
    sep = delimiter(lines[0])
    names, first = _cells(lines[0], sep), _cells(lines[1], sep)
    return (len(names) >= 2 and len(first) == len(names)
            and all(_COLUMN_NAME.fullmatch(name) for name in names)
            and all(_NUMBER_CELL.fullmatch(cell) or cell in MISSING for cell in first)
            and header_has_metrics(lines[0]))


def read_table(path: Path) -> tuple[dict[str, np.ndarray], dict[str, np.ndarray]]:
    """A metrics CSV as float columns, and where each column wrote a real NaN (``nan``, as
    opposed to a missing cell). Raises LogReadError on bad input."""
    with open(path, "rb") as handle:
        head = checked_bytes(path, handle.read(HEAD_BYTES), "a CSV log")
    newline = head.find(b"\n")
    sep = delimiter(head[:newline if newline >= 0 else len(head)].decode("utf-8", "replace"))
    try:
        # keep_default_na=False: "nan" stays text, told apart from a missing cell ("NA", empty)
        frame = pd.read_csv(path, sep=sep, na_values=MISSING, keep_default_na=False, skipinitialspace=True)
    except pd.errors.EmptyDataError:
        raise LogReadError(path, "empty file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise LogReadError(path, f"not a readable CSV ({str(error).splitlines()[0][:120]})") from None
    if frame.empty:
        raise LogReadError(path, "header but no rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    converted = float_columns(frame)
    columns = dict(converted.values)
    for column, (row, text) in converted.not_numbers.items():
        if classify(column) is None:
            del columns[column]  # a text column that is not a metric (a run name, a date): ignore it
            continue
        raise LogReadError(path, f"column {column!r}, row {row + 2}: {text[:40]!r} is not a number")
    return columns, converted.real_nan


def superseded(epoch: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """Keras ``append=True``: rows replaced by a later attempt, and the epochs it restarted at.

    A row whose epoch is below an epoch seen before it starts a new attempt, which replaces every
    earlier row at that epoch or later. Rows without an epoch are never replaced.
    """
    seen = np.fmax.accumulate(np.where(np.isnan(epoch), -np.inf, epoch))
    restart = np.zeros(len(epoch), dtype=bool)
    restart[1:] = epoch[1:] < seen[:-1]
    if not restart.any():
        return np.zeros(len(epoch), dtype=bool), []
    first_of_attempt = restart & ~np.concatenate([[False], restart[:-1]])
    # the lowest epoch any later attempt starts at, for each row
    later = np.minimum.accumulate(np.where(first_of_attempt, epoch, np.inf)[::-1])[::-1]
    replaced = np.zeros(len(epoch), dtype=bool)
    replaced[:-1] = epoch[:-1] >= later[1:]
    return replaced, [int(e) for e in epoch[first_of_attempt]]


def _column(columns: dict, names: tuple[str, ...]) -> str | None:
    lowered = {c.lower(): c for c in columns}
    return next((lowered[n] for n in names if n in lowered), None)


def table_to_records(columns: dict[str, np.ndarray], notes: list[str],
                     real_nan: dict[str, np.ndarray] | None = None) -> pd.DataFrame:
    """Wide table (one column per metric) to long records, one per metric and epoch where the
    table has epochs (a per-step CSV is reduced before it is made long)."""
    epoch_col, step_col = _column(columns, EPOCH_COLUMNS), _column(columns, STEP_COLUMNS)
    length = len(next(iter(columns.values()))) if columns else 0
    epochs = columns[epoch_col] if epoch_col else np.arange(length, dtype="float64")
    steps = columns[step_col] if step_col else np.full(length, np.nan)
    sparse = bool(step_col and epoch_col and np.mean([np.isnan(c).mean() for c in columns.values()]) > 0.2)
    keep = np.ones(length, dtype=bool)
    if (epoch_col or not step_col) and not sparse:
        replaced, restarts = superseded(epochs)
        keep &= ~replaced
        notes += [f"training restarted at epoch {e}: the earlier rows for epochs >= {e} are replaced by "
                  "the later ones" for e in restarts]
    if not epoch_col and step_col:
        epochs = np.full(length, np.nan)  # no epoch column but steps: the steps are the axis
    real_nan = real_nan or {}
    metric_cols = [c for c in columns if c not in (epoch_col, step_col) and classify(c) is not None]
    every = keep.all()
    pick = (lambda array: array) if every else (lambda array: array[keep])
    return wide_records({c: pick(columns[c]) for c in metric_cols}, epoch=pick(epochs), step=pick(steps),
                        real_nan={c: pick(real_nan[c]) for c in metric_cols if c in real_nan}, by_epoch=True)


class Reader(BaseReader):
    name = "csv"
    priority = 20

    def claims(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in CSV_SUFFIXES:
            return not looks_binary(head) and looks_like_metrics_csv(head)
        if looks_binary(head):
            return True  # a binary file named like a CSV log: read() says what is wrong
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
        return not head.strip() or header_has_metrics(first)

    def read(self, files: list[Path]) -> list[Piece]:
        pieces = []
        for path in files:
            columns, real_nan = read_table(path)
            notes: list[str] = []
            recs = table_to_records(columns, notes, real_nan)
            if recs.empty:
                raise LogReadError(path, "no column maps to a split and metric (loss, accuracy, ...)")
            kind = "lightning" if path.name == "metrics.csv" else "csv"
            has_step = _column(columns, STEP_COLUMNS) is not None
            has_epoch = _column(columns, EPOCH_COLUMNS) is not None
            pieces.append(Piece(kind, path, recs, notes=notes, has_epochs=has_epoch or not has_step))
        return pieces
