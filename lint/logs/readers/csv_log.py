"""CSV logs: Keras ``CSVLogger``, Lightning ``CSVLogger`` (``metrics.csv``), and any CSV whose
columns map to split and metric.

Keras writes one row per epoch (``epoch,accuracy,loss,val_accuracy,val_loss``, older ``acc``,
``lr``), ``NA`` for a missing value and ``nan`` for a NaN loss, and with ``append=True`` a resumed
run appends rows whose epoch goes back: the later attempt replaces the rows it repeats. Lightning
writes one sparse row per logging call (``epoch``, ``step``, ``train_loss_step``,
``val_loss_epoch``...): empty cells are missing values.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.names import classify
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, looks_binary, records

MISSING = ["NA", "", "N/A", "None", "null", "NULL"]


def _delimiter(header: str) -> str:
    counts = {d: header.count(d) for d in (",", "\t", ";")}
    return max(counts, key=counts.get) if max(counts.values()) else ","


def header_has_metrics(header: str) -> bool:
    cells = [c.strip().strip('"') for c in header.split(_delimiter(header))]
    found = [classify(c) for c in cells]
    return any(f and f[1] in ("loss", "accuracy") for f in found)


def read_table(path: Path, data: bytes | None = None) -> pd.DataFrame:
    """Read a metrics CSV into floats. Raises LogReadError on bad input."""
    data = checked_bytes(path, data, "a CSV log")
    first = data.split(b"\n", 1)[0].decode("utf-8", "replace")
    sep = _delimiter(first)
    buffer = io.BytesIO(data)
    try:
        # keep_default_na=False: "nan" stays text here so that it is told apart from a missing
        # cell ("NA", empty); a real NaN loss is a finding, a missing cell is not.
        frame = pd.read_csv(buffer, sep=sep, na_values=MISSING, keep_default_na=False,
                            skipinitialspace=True, comment=None)
    except pd.errors.EmptyDataError:
        raise LogReadError(path, "empty file") from None
    except (pd.errors.ParserError, UnicodeDecodeError, ValueError) as error:
        raise LogReadError(path, f"not a readable CSV ({str(error).splitlines()[0][:120]})") from None
    if frame.empty:
        raise LogReadError(path, "header but no rows")
    frame.columns = [str(c).strip() for c in frame.columns]
    for column in frame.columns:
        if frame[column].dtype.kind in "fiub":
            continue
        text = frame[column].astype("str").str.strip()
        missing = frame[column].isna() | text.isin(MISSING)
        numbers = pd.to_numeric(text.where(~missing, None), errors="coerce")
        bad = numbers.isna() & ~missing & ~text.str.lower().isin(["nan", "-nan", "+nan"])
        if bad.any():
            if classify(column) is None:
                # A text column that is not a metric (a run name, a date): ignore it.
                frame = frame.drop(columns=[column])
                continue
            row = int(np.flatnonzero(bad.to_numpy())[0])
            raise LogReadError(path, f"column {column!r}, row {row + 2}: "
                                     f"{text.iloc[row][:40]!r} is not a number")
        frame[column] = numbers.astype("float64")
    return frame


def _drop_superseded(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Keras ``append=True``: when the epoch goes back, the later rows replace the earlier ones."""
    epoch = frame["epoch"].to_numpy(dtype="float64")
    if len(epoch) < 2 or np.all(np.diff(epoch[~np.isnan(epoch)]) >= 0):
        return frame
    keep = np.ones(len(frame), dtype=bool)
    for i in range(1, len(epoch)):
        if epoch[i] < np.nanmax(epoch[:i][keep[:i]], initial=-np.inf):
            # rows of the earlier attempt at this epoch or later are superseded
            earlier = np.arange(i)
            keep[earlier[(epoch[:i] >= epoch[i]) & keep[:i]]] = False
            notes.append(f"training restarted at epoch {int(epoch[i])}: the earlier rows for "
                         f"epochs >= {int(epoch[i])} are replaced by the later ones")
    return frame[keep]


def table_to_records(frame: pd.DataFrame, notes: list[str]) -> pd.DataFrame:
    """Wide table (one column per metric) to long records."""
    columns = {c.lower(): c for c in frame.columns}
    epoch_col = columns.get("epoch") or columns.get("epochs")
    step_col = columns.get("step") or columns.get("global_step") or columns.get("_step") or columns.get("iteration")
    lightning = bool(step_col and epoch_col and frame.isna().to_numpy().mean() > 0.2)
    if not epoch_col and not step_col:
        # No axis column: one row per epoch, as np.savetxt-style tables are written.
        frame = frame.assign(__row=np.arange(len(frame), dtype="float64"))
        epoch_col = "__row"
    if epoch_col and not lightning:
        frame = frame.rename(columns={epoch_col: "epoch"})
        frame = _drop_superseded(frame, notes)
        frame = frame.rename(columns={"epoch": epoch_col})
    metric_cols = [c for c in frame.columns if c not in (epoch_col, step_col) and classify(c) is not None]
    if not metric_cols:
        return records({})
    # Long records built column by column with integer-coded names: a per-step CSV can have
    # millions of rows, and melting them into repeated strings costs seconds and gigabytes.
    real = _real_nan_mask(frame, metric_cols).reshape(len(metric_cols), len(frame)) if len(frame) else None
    epochs_all = frame[epoch_col].to_numpy(dtype="float64") if epoch_col else np.full(len(frame), np.nan)
    steps_all = frame[step_col].to_numpy(dtype="float64") if step_col else np.full(len(frame), np.nan)
    parts_value, parts_epoch, parts_step, parts_code = [], [], [], []
    for code, column in enumerate(metric_cols):
        values = frame[column].to_numpy(dtype="float64")
        # An empty or NA cell is "not logged in this row" (Lightning's sparse rows), not a value.
        present = ~np.isnan(values) | real[code]
        parts_value.append(values[present])
        parts_epoch.append(epochs_all[present])
        parts_step.append(steps_all[present])
        parts_code.append(np.full(int(present.sum()), code, dtype="int32"))
    codes = np.concatenate(parts_code)
    return records({"name": pd.Categorical.from_codes(codes, metric_cols), "epoch": np.concatenate(parts_epoch),
                    "step": np.concatenate(parts_step), "value": np.concatenate(parts_value)})


def _real_nan_mask(frame: pd.DataFrame, columns: list[str]) -> np.ndarray:
    """Which melted cells are real NaN (written as ``nan``) rather than missing.

    ``read_table`` leaves a missing cell NaN and a real ``nan`` NaN as well; the difference is kept
    in ``frame.attrs['real_nan']`` (a set of (column, row) pairs) when the file had any.
    """
    real = frame.attrs.get("real_nan")
    if not real:
        return np.zeros(len(frame) * len(columns), dtype=bool)
    mask = np.zeros((len(columns), len(frame)), dtype=bool)
    rows = {label: i for i, label in enumerate(frame.index)}
    for ci, column in enumerate(columns):
        for label in real.get(column, ()):
            if label in rows:
                mask[ci, rows[label]] = True
    return mask.reshape(-1)


class Reader(BaseReader):
    name = "csv"
    priority = 20

    def claims(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() not in (".csv", ".tsv"):
            return False
        if looks_binary(head):
            return True  # a binary file named like a CSV log: read() says what is wrong
        first = head.split(b"\n", 1)[0].decode("utf-8", "replace")
        return not head.strip() or header_has_metrics(first)

    def run_key(self, path: Path) -> Path:
        return path.parent

    def read(self, files: list[Path]) -> list[Piece]:
        pieces = []
        for path in files:
            frame = read_table_keep_nan(path)
            notes: list[str] = []
            recs = table_to_records(frame, notes)
            if recs.empty:
                raise LogReadError(path, "no column maps to a split and metric (loss, accuracy, ...)")
            kind = "lightning" if path.name == "metrics.csv" else "csv"
            has_step = any(c.lower() in ("step", "global_step", "_step", "iteration") for c in frame.columns)
            has_epoch = any(c.lower() in ("epoch", "epochs") for c in frame.columns)
            pieces.append(Piece(kind, path, recs, notes=notes, has_epochs=has_epoch or not has_step))
        return pieces


def read_table_keep_nan(path: Path) -> pd.DataFrame:
    """``read_table`` plus, in ``attrs['real_nan']``, where the file wrote a real NaN."""
    data = path.read_bytes()
    frame = read_table(path, data)
    if not re.search(rb"(?i)nan", data):
        return frame
    # Rare path: find the cells spelled nan (not NA/empty) so they survive as NaN values.
    sep = _delimiter(data.split(b"\n", 1)[0].decode("utf-8", "replace"))
    raw = pd.read_csv(io.BytesIO(data), sep=sep, dtype=str, keep_default_na=False,
                      skipinitialspace=True)
    raw.columns = [str(c).strip() for c in raw.columns]
    real = {}
    for column in frame.columns:
        if column in raw:
            hits = raw[column].str.strip().str.lower().isin(["nan", "-nan", "+nan"])
            if hits.any():
                real[column] = set(raw.index[hits.to_numpy()])
    frame.attrs["real_nan"] = real
    return frame
