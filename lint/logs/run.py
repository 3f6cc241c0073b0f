"""One training run as the checks see it (``Run``), and how its number of classes is settled.

The engine builds runs and the checks read them; keeping ``Run`` here lets both import it without
importing each other.
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

HF_SOURCE = "huggingface"
CONFIG_FILES = ("meta.json", "config.json", "hparams.yaml", "hparams.yml", "config.yaml", "config.yml",
                "params.json", "args.json")
CLASS_KEYS = ("num_classes", "n_classes", "classes", "num_labels", "nclasses", "n_class")


@dataclass
class Run:
    """One training run: its tidy table and what is known about it."""

    name: str
    path: str
    frame: pd.DataFrame
    sources: list[str]
    unit: str = "epoch"
    num_classes: int | None = None
    num_classes_source: str | None = None
    notes: list[str] = field(default_factory=list)

    def series(self, split: str, metric: str) -> pd.Series:
        """Values of one (split, metric) indexed by epoch (or step), sorted; may be empty."""
        rows = self.frame[(self.frame["split"] == split) & (self.frame["metric"] == metric)]
        axis = "epoch" if self.unit == "epoch" else "step"
        rows = rows[rows[axis].notna()]
        out = pd.Series(rows["value"].to_numpy(), index=rows[axis].to_numpy(), name=f"{split} {metric}")
        out = out[~out.index.duplicated(keep="last")].sort_index()
        out.index = out.index.astype("int64") if len(out) and np.all(out.index == np.floor(out.index)) else out.index
        return out

    def step_at(self, split: str, metric: str, x: float) -> int | None:
        """The last training step logged at epoch ``x`` of a series (None when steps are unknown)."""
        if self.unit != "epoch":
            return int(x)
        frame = self.frame
        rows = frame[(frame["split"] == split) & (frame["metric"] == metric) & (frame["epoch"] == x)]
        steps = rows["step"].to_numpy(dtype="float64")
        steps = steps[np.isfinite(steps)]
        return int(steps.max()) if len(steps) else None

    def checkpoint_text(self, split: str, metric: str, x: float) -> str:
        """How to name the checkpoint of epoch ``x``: the Hugging Face Trainer names its checkpoints
        by step."""
        step = self.step_at(split, metric, x) if self.unit == "epoch" else None
        if step is None:
            return f"the checkpoint of {self.unit} {int(x) if float(x).is_integer() else x}"
        if HF_SOURCE in self.sources:
            return f"the checkpoint of epoch {int(x)} (step {step}: checkpoint-{step})"
        return f"the checkpoint of epoch {int(x)} (step {step})"

    @property
    def heldout(self) -> str | None:
        """The held-out split the checks compare to training: validation, else test."""
        splits = set(self.frame["split"].unique())
        for split in ("validation", "test"):
            if split in splits:
                return split
        return None



# ---------------------------------------------------------------- number of classes


def classes_from_config(folder: Path) -> tuple[int, str] | None:
    for parent in (folder, folder.parent):
        for filename in CONFIG_FILES:
            path = parent / filename
            if not path.is_file():
                continue
            try:
                text = path.read_text(errors="replace")
                if filename.endswith((".yaml", ".yml")):
                    import yaml

                    data = yaml.safe_load(text)
                else:
                    data = json.loads(text)
            except Exception:  # a config we cannot parse just does not tell us k
                continue
            k = _find_classes(data)
            if k:
                return k, path.name
    return None


def _find_classes(data: Any, depth: int = 0) -> int | None:
    if not isinstance(data, dict) or depth > 3:
        return None
    for key in CLASS_KEYS:
        value = data.get(key)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and 2 <= value <= 100000:
            return int(value)
    labels = data.get("id2label")
    if isinstance(labels, dict) and len(labels) >= 2:
        return len(labels)
    for value in data.values():
        found = _find_classes(value, depth + 1)
        if found:
            return found
    return None


def infer_classes(run: Run) -> int | None:
    """k when the first epoch's loss is near ln k AND its accuracy near 1/k (both must agree)."""
    for split in ("train", run.heldout):
        if split is None:
            continue
        loss, acc = run.series(split, "loss"), run.series(split, "accuracy")
        if loss.empty or acc.empty or not np.isfinite(loss.iloc[0]) or not np.isfinite(acc.iloc[0]):
            continue
        l0, a0 = float(loss.iloc[0]), float(acc.iloc[0])
        if l0 <= 0.5 or a0 <= 0:
            continue
        k_loss, k_acc = round(math.exp(l0)), round(1.0 / a0)
        if k_loss >= 2 and k_loss == k_acc and abs(l0 - math.log(k_loss)) <= 0.15 * math.log(k_loss):
            return k_loss
    return None


def settle_classes(run: Run, num_classes: int | None) -> None:
    if num_classes:
        run.num_classes, run.num_classes_source = num_classes, "--num-classes"
        return
    if run.num_classes:
        return
    folder = Path(run.path)
    folder = folder if folder.is_dir() else folder.parent
    found = classes_from_config(folder)
    if found:
        run.num_classes, run.num_classes_source = found[0], found[1]
        return
    k = infer_classes(run)
    if k:
        run.num_classes, run.num_classes_source = k, "inferred from the first loss near ln k and accuracy near 1/k"
