"""JSON lines: one object per step or epoch (``{"epoch": 3, "loss": 0.5, "val_acc": 0.8}``).

Axis keys: ``epoch``, ``step`` / ``global_step`` / ``_step`` / ``iter``. A ``mode`` / ``split`` /
``phase`` key (mmcv, custom loggers) gives the split of the object's metrics. Nested objects are
flattened with ``/`` (``{"train": {"loss": 0.5}}`` is ``train/loss``).
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.names import SPLIT_WORDS
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes
from fitlint.logs.readers.table import float_columns, wide_records

STEP_KEYS = ("step", "global_step", "_step", "iter", "iteration")
SPLIT_KEYS = ("mode", "split", "phase", "stage")


def _has_metric_key(obj: dict) -> bool:
    return any("loss" in str(k).lower() or "acc" in str(k).lower() for k in pd.json_normalize(obj, sep="/"))


def _objects(path: Path, data: bytes) -> list[dict]:
    lines = data.decode("utf-8", "replace").splitlines()
    objects = []
    for number, line in enumerate(lines, start=1):
        line = line.strip()
        if not line:
            continue
        try:
            # NaN and Infinity stay words: a NaN is a value, a missing key is not
            obj = json.loads(line, parse_constant=str)
        except ValueError:
            if number == len(lines):
                continue  # a half-written last line of a live run
            raise LogReadError(path, f"line {number} is not a JSON object") from None
        if not isinstance(obj, dict):
            raise LogReadError(path, f"line {number} is not a JSON object")
        objects.append(obj)
    return objects


def _first_present(table: pd.DataFrame, keys: tuple[str, ...]) -> pd.Series | None:
    present = [table[k] for k in keys if k in table]
    if not present:
        return None
    combined = present[0]
    for other in present[1:]:
        combined = combined.where(combined.notna(), other)
    return combined


def _split_hints(table: pd.DataFrame) -> pd.Categorical | None:
    words = _first_present(table, SPLIT_KEYS)
    if words is None:
        return None
    return pd.Categorical([SPLIT_WORDS.get(str(w).lower()) if isinstance(w, str) else None for w in words])


class Reader(BaseReader):
    name = "jsonl"
    priority = 15

    def claims(self, path: Path, head: bytes) -> bool:
        if path.suffix.lower() in (".jsonl", ".ndjson"):
            return True
        # a .json or .log file whose first line is an object with a numeric loss/accuracy
        if path.suffix.lower() in (".json", ".log") and path.name != "trainer_state.json":
            first = head.lstrip().split(b"\n", 1)[0]
            if first.startswith(b"{") and first.rstrip().endswith(b"}"):
                try:
                    obj = json.loads(first)
                except ValueError:
                    return False
                return isinstance(obj, dict) and _has_metric_key(obj)
        return False

    def read(self, files: list[Path]) -> list[Piece]:
        pieces = []
        for path in files:
            objects = _objects(path, checked_bytes(path, None, "JSON lines"))
            # nested objects ({"train": {"loss": 0.5}}) become "train/loss"
            table = pd.json_normalize(objects, sep="/") if objects else pd.DataFrame()
            hints = _split_hints(table)
            step = _first_present(table, STEP_KEYS)
            metrics = table.drop(columns=[c for c in ("epoch", *STEP_KEYS, *SPLIT_KEYS) if c in table])
            converted = float_columns(metrics)
            epoch = pd.to_numeric(table["epoch"], errors="coerce").to_numpy(dtype="float64") if "epoch" in table else np.nan
            recs = wide_records(converted.values, epoch=epoch, real_nan=converted.real_nan, split_hint=hints,
                                step=np.nan if step is None else pd.to_numeric(step, errors="coerce").to_numpy(dtype="float64"))
            if recs.empty:
                raise LogReadError(path, "no numeric values in any line")
            has_epochs = bool(np.isfinite(epoch).any()) if isinstance(epoch, np.ndarray) else False
            pieces.append(Piece(self.name, path, recs, has_epochs=has_epochs))
        return pieces
