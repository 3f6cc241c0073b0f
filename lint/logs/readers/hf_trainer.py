"""Hugging Face ``Trainer`` state: ``trainer_state.json`` and its ``log_history``.

Training entries hold ``loss``, ``learning_rate``, ``grad_norm``; evaluation entries ``eval_loss``,
``eval_accuracy``...; the last entry is a summary (``train_runtime``, ``train_loss`` averaged over
the whole run) and is skipped. Epochs are fractional (0.5, 1.0...): a point at epoch ``e`` belongs
to 0-based epoch ``ceil(e) - 1``. The Trainer drops NaN/inf losses from what it logs by default
(``logging_nan_inf_filter=True``): a run can look clean while its loss was NaN, which the report
says. The state of ``checkpoint-N`` folders is the same run: the one with the most steps is read.
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, records

NAN_FILTER_NOTE = ("Hugging Face Trainer drops NaN/inf losses from its log by default "
                   "(logging_nan_inf_filter=True): a NaN loss does not show here; look at grad_norm "
                   "or rerun with logging_nan_inf_filter=False")


def _load(path: Path) -> dict:
    data = checked_bytes(path, None, "a trainer_state.json")
    try:
        # Python's json reads the NaN/Infinity tokens the Trainer writes.
        state = json.loads(data)
    except (json.JSONDecodeError, UnicodeDecodeError) as error:
        raise LogReadError(path, f"not valid JSON ({error})") from None
    if not isinstance(state, dict) or not isinstance(state.get("log_history"), list):
        raise LogReadError(path, "no log_history list: not a Hugging Face trainer_state.json")
    return state


class Reader(BaseReader):
    name = "huggingface"
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
            states.append((state.get("global_step") or 0, len(state["log_history"]), path, state))
        # The latest checkpoint (or the final state) holds the whole history up to it.
        _, _, path, state = max(states, key=lambda s: (s[0], s[1]))
        rows: dict[str, list] = {"name": [], "epoch": [], "step": [], "value": []}
        fractional = False
        for entry in state["log_history"]:
            if not isinstance(entry, dict) or "train_runtime" in entry:
                continue
            epoch = entry.get("epoch")
            step = entry.get("step")
            if isinstance(epoch, (int, float)) and epoch != int(epoch):
                fractional = True
            for key, value in entry.items():
                if key in ("epoch", "step") or not isinstance(value, (int, float)) or isinstance(value, bool):
                    continue
                rows["name"].append(key)
                rows["epoch"].append(epoch if isinstance(epoch, (int, float)) else math.nan)
                rows["step"].append(step if isinstance(step, (int, float)) else math.nan)
                rows["value"].append(float(value))
        if not rows["name"]:
            raise LogReadError(path, "log_history has no logged values")
        recs = records(rows)
        # Trainer epochs end at 1.0, 2.0...: the point at e belongs to 0-based epoch ceil(e) - 1.
        recs["epoch"] = (recs["epoch"].apply(math.ceil) - 1).clip(lower=0)
        notes = [NAN_FILTER_NOTE]
        if not fractional:
            notes = [NAN_FILTER_NOTE]
        k = None
        for config in (path.parent / "config.json", path.parent.parent / "config.json"):
            k = k or _num_labels(config)
        return [Piece(self.name, self.run_key(path), recs, notes=notes, num_classes=k)]


def _num_labels(config: Path) -> int | None:
    try:
        data = json.loads(config.read_text())
    except (OSError, ValueError, UnicodeDecodeError):
        return None
    labels = data.get("id2label") if isinstance(data, dict) else None
    if isinstance(labels, dict) and len(labels) >= 2:
        return len(labels)
    return None
