"""JSON lines: one object per step or epoch (``{"epoch": 3, "loss": 0.5, "val_acc": 0.8}``).

Axis keys: ``epoch``, ``step`` / ``global_step`` / ``_step`` / ``iter``. A ``mode`` / ``split`` /
``phase`` key (mmcv, custom loggers) gives the split of the object's metrics. Nested objects are
flattened with ``/`` (``{"train": {"loss": 0.5}}`` is ``train/loss``).
"""

from __future__ import annotations

import json
import math
from pathlib import Path

from fitlint.logs.names import SPLIT_WORDS
from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, checked_bytes, records

STEP_KEYS = ("step", "global_step", "_step", "iter", "iteration")
SPLIT_KEYS = ("mode", "split", "phase", "stage")


def _flatten(obj: dict, prefix: str = "") -> dict:
    out = {}
    for key, value in obj.items():
        name = f"{prefix}{key}"
        if isinstance(value, dict):
            out.update(_flatten(value, name + "/"))
        else:
            out[name] = value
    return out


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
                return isinstance(obj, dict) and any(
                    "loss" in k.lower() or "acc" in k.lower() for k in _flatten(obj))
        return False

    def read(self, files: list[Path]) -> list[Piece]:
        pieces = []
        for path in files:
            data = checked_bytes(path, None, "JSON lines")
            rows: dict[str, list] = {"name": [], "split_hint": [], "epoch": [], "step": [], "value": []}
            any_epoch = False
            lines = data.decode("utf-8", "replace").splitlines()
            for number, line in enumerate(lines, start=1):
                line = line.strip()
                if not line:
                    continue
                try:
                    obj = json.loads(line)
                except ValueError:
                    if number == len(lines):
                        continue  # a half-written last line of a live run
                    raise LogReadError(path, f"line {number} is not a JSON object") from None
                if not isinstance(obj, dict):
                    raise LogReadError(path, f"line {number} is not a JSON object")
                obj = _flatten(obj)
                epoch = obj.get("epoch")
                step = next((obj[k] for k in STEP_KEYS if isinstance(obj.get(k), (int, float))), math.nan)
                split = next((SPLIT_WORDS.get(str(obj[k]).lower()) for k in SPLIT_KEYS if k in obj), None)
                any_epoch |= isinstance(epoch, (int, float))
                for key, value in obj.items():
                    if key in ("epoch", *STEP_KEYS, *SPLIT_KEYS) or isinstance(value, bool):
                        continue
                    if isinstance(value, str) and value.lower() in ("nan", "inf", "-inf", "infinity"):
                        value = float(value)
                    if not isinstance(value, (int, float)):
                        continue
                    rows["name"].append(key)
                    rows["split_hint"].append(split)
                    rows["epoch"].append(epoch if isinstance(epoch, (int, float)) else math.nan)
                    rows["step"].append(step)
                    rows["value"].append(float(value))
            if not rows["name"]:
                raise LogReadError(path, "no numeric values in any line")
            pieces.append(Piece(self.name, path, records(rows), has_epochs=any_epoch))
        return pieces
