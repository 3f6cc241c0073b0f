"""Hugging Face ``Trainer`` state: ``trainer_state.json`` and its ``log_history``.

Training entries hold ``loss``, ``learning_rate``, ``grad_norm``; evaluation entries ``eval_loss``,
``eval_accuracy``...; the last entry is a summary (``train_runtime``, ``train_loss`` averaged over
the whole run) and is skipped. Epochs are numbered as the Trainer numbers them: its epochs are
fractional (0.5, 1.0...) and the evaluation at the end of the 13th epoch says ``"epoch": 13.0``,
so a point at epoch ``e`` belongs to epoch ``ceil(e)`` (epoch 13 of the report is the entry with
``"epoch": 13.0``). The Trainer names a checkpoint by its step (``checkpoint-1300``): the step of
each point is kept. It drops NaN/inf losses from what it logs by default
(``logging_nan_inf_filter=True``): a run can look clean while its loss was NaN, which the report
says when the curves show trouble and no ``grad_norm`` rules it out. The state of
``checkpoint-N`` folders is the same run: the one with the most steps is read.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes
from fitlint.logs.readers.table import float_columns, wide_records
from fitlint.logs.run import HF_SOURCE

NAN_FILTER_NOTE = ("Hugging Face Trainer drops NaN/inf losses from its log by default "
                   "(logging_nan_inf_filter=True): a NaN loss does not show here; look at grad_norm "
                   "or rerun with logging_nan_inf_filter=False")


def _load(path: Path) -> dict:
    data = checked_bytes(path, None, "a trainer_state.json")
    try:
        # NaN and Infinity stay the words the Trainer wrote: a NaN is a value, a missing key is not.
        state = json.loads(data, parse_constant=str)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LogReadError(path, f"not valid JSON ({error})") from None
    if not isinstance(state, dict) or not isinstance(state.get("log_history"), list):
        raise LogReadError(path, "no log_history list: not a Hugging Face trainer_state.json")
    return state


def history_records(entries: list) -> pd.DataFrame:
    """The ``log_history`` entries as records, on the Trainer's own epoch numbers."""
    entries = [e for e in entries if isinstance(e, dict) and "train_runtime" not in e]
    if not entries:
        return wide_records({})
    table = pd.json_normalize(entries, sep="/")
    converted = float_columns(table)
    axes = {name: converted.values.pop(name, None) for name in ("epoch", "step")}
    epoch = np.ceil(axes["epoch"]) if axes["epoch"] is not None else np.nan
    step = axes["step"] if axes["step"] is not None else np.nan
    return wide_records(converted.values, epoch=epoch, step=step, real_nan=converted.real_nan)


class Reader(BaseReader):
    name = HF_SOURCE
    priority = 30
    grouped = True

    def claims(self, path: Path, head: bytes) -> bool:
        return path.name == "trainer_state.json"

    def run_key(self, path: Path) -> Path:
        # output_dir/checkpoint-500/trainer_state.json belongs to the run in output_dir
        if path.parent.name.startswith("checkpoint-"):
            return path.parent.parent
        return path.parent

    def read(self, files: list[Path]) -> list[Piece]:
        states = []
        for path in files:
            state = _load(path)
            step = state.get("global_step")
            states.append((step if isinstance(step, int) else 0, len(state["log_history"]), path, state))
        # The latest checkpoint (or the final state) holds the whole history up to it.
        _, _, path, state = max(states, key=lambda s: (s[0], s[1]))
        recs = history_records(state["log_history"])
        if recs.empty:
            raise LogReadError(path, "log_history has no logged values")
        k = None
        for config in (path.parent / "config.json", path.parent.parent / "config.json"):
            k = k or _num_labels(config)
        return [Piece(self.name, self.run_key(path), recs, notes=[NAN_FILTER_NOTE], num_classes=k)]


def _num_labels(config: Path) -> int | None:
    try:
        data = json.loads(config.read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    labels = data.get("id2label") if isinstance(data, dict) else None
    if isinstance(labels, dict) and len(labels) >= 2:
        return len(labels)
    return None
