"""Wide tables (one column per logged name, one row per logging call) to records.

CSV files, JSON lines and the Hugging Face ``log_history`` are all such tables; they share this
conversion, so a missing cell means the same thing in every format: not logged in that row (a
Lightning CSV is sparse), unlike a real NaN, which is a value (a NaN loss is a finding).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from fitlint.logs.names import classify
from fitlint.logs.readers.base import records
from fitlint.logs.tidy import group_ids, reduce_groups

MISSING = ["NA", "", "N/A", "None", "null", "NULL"]
NAN_SPELLINGS = ["nan", "-nan", "+nan"]


@dataclass(frozen=True)
class FloatColumns:
    """A wide table's columns as floats (a missing cell is NaN), where a NaN was written as a value,
    and the first cell of each column that is neither a number nor missing (row, text)."""

    values: dict[str, np.ndarray]
    real_nan: dict[str, np.ndarray]
    not_numbers: dict[str, tuple[int, str]]


def float_columns(frame: pd.DataFrame) -> FloatColumns:
    """Convert every column once, vectorized: a column pandas already parsed as numbers is used as
    is; a column with text goes through ``pandas.to_numeric``, where ``nan`` (Keras' CSV) or
    ``NaN`` (JSON) is a value and ``NA`` or an empty cell is missing. True/False columns are not
    metrics and are left out."""
    values: dict[str, np.ndarray] = {}
    real_nan: dict[str, np.ndarray] = {}
    not_numbers: dict[str, tuple[int, str]] = {}
    for column in frame.columns:
        cells = frame[column]
        if cells.dtype.kind == "b":
            continue
        if cells.dtype.kind in "fiu":
            values[column] = cells.to_numpy(dtype="float64")
            continue
        missing = cells.isna()
        text = cells.astype("str").str.strip()
        missing |= text.isin(MISSING)
        numbers = pd.to_numeric(text.where(~missing, None), errors="coerce")
        spelled_nan = text.str.lower().isin(NAN_SPELLINGS) & ~missing
        bad = (numbers.isna() & ~missing & ~spelled_nan).to_numpy()
        if bad.any():
            row = int(np.flatnonzero(bad)[0])
            not_numbers[column] = (row, str(text.iloc[row]))
        values[column] = np.where(bad, np.nan, numbers.to_numpy(dtype="float64"))
        real_nan[column] = spelled_nan.to_numpy()
    return FloatColumns(values, real_nan, not_numbers)


def wide_records(values: dict[str, np.ndarray], *, epoch: np.ndarray | float = np.nan,
                 step: np.ndarray | float = np.nan, real_nan: dict[str, np.ndarray] | None = None,
                 split_hint: pd.Categorical | str | None = None, by_epoch: bool = False) -> pd.DataFrame:
    """Long records from equally long float columns; a NaN cell is dropped unless ``real_nan``
    marks it as a NaN the log wrote.

    ``by_epoch``: the rows that have an epoch are reduced to one record per column and epoch
    here, exactly as ``fitlint.logs.tidy`` would reduce them, so that a per-step table of a
    million rows never exists in long form (``split_hint`` must then be one value or None).
    """
    real_nan = real_nan or {}
    names = list(values)
    size = len(next(iter(values.values()))) if names else 0
    epochs = np.broadcast_to(np.asarray(epoch, dtype="float64"), (size,))
    steps = np.broadcast_to(np.asarray(step, dtype="float64"), (size,))
    hints = split_hint if isinstance(split_hint, pd.Categorical) else None
    grouped = np.isfinite(epochs) if by_epoch else np.zeros(size, dtype=bool)
    if grouped.any():
        ids, _, group_epochs = group_ids(np.zeros(int(grouped.sum()), dtype="int64"), np.floor(epochs[grouped]))
        row_group = np.full(size, -1, dtype="int64")
        row_group[grouped] = ids
    parts: list[tuple[int, np.ndarray, np.ndarray, np.ndarray, np.ndarray | None]] = []
    for code, name in enumerate(names):
        present = ~np.isnan(values[name])
        if name in real_nan:
            present |= real_nan[name]
        raw = present & ~grouped
        if raw.any():
            parts.append((code, values[name][raw], epochs[raw], steps[raw],
                          hints.codes[raw] if hints is not None else None))
        if not grouped.any() or not (present & grouped).any():
            continue
        rows = present & grouped
        group_count = len(group_epochs)
        is_lr = np.full(group_count, (classify(name) or ("", ""))[1] == "lr")
        mean, last_step = reduce_groups(row_group[rows], group_count, values[name][rows], steps[rows], is_lr)
        logged = np.bincount(row_group[rows], minlength=group_count) > 0
        parts.append((code, mean[logged], group_epochs[logged], last_step[logged], None))
    if not parts:
        return records(pd.Categorical([], categories=names), [], split_hint=None)
    codes = np.concatenate([np.full(len(part[1]), part[0], dtype="int32") for part in parts])
    hint = split_hint
    if hints is not None:
        hint = pd.Categorical.from_codes(np.concatenate([part[4] for part in parts]), hints.categories)
    return records(pd.Categorical.from_codes(codes, names), np.concatenate([part[1] for part in parts]),
                   epoch=np.concatenate([part[2] for part in parts]), step=np.concatenate([part[3] for part in parts]),
                   split_hint=hint)
