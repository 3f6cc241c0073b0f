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
CLASS_KEYS = ("num_classes", "n_classes", "classes", "num_labels", "nclasses", "n_class", "nb_classes",
              "n_labels", "number_of_classes")
HPARAMS_FILES = ("hparams.yaml", "hparams.yml")
OUTPUT_KEYS = ("num_outputs", "n_outputs", "output_size", "output_dim", "out_features", "out_dim")
MAX_CLASSES = 100_000
# Below ln 2 - 15%, a loss is no uniform guess over any number of classes.
MIN_CHANCE_LOSS = 0.85 * math.log(2)
INFERRED = "inferred from the first loss near ln k and accuracy near 1/k"


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
    # (frame, {(split, metric): row numbers}) for the frame it was built from
    _row_numbers: tuple | None = field(default=None, init=False, repr=False, compare=False)

    def rows(self, split: str, metric: str) -> pd.DataFrame:
        """The frame's rows of one (split, metric): the row numbers of every pair are found in one
        pass over the frame (the checks ask for the same few series many times)."""
        frame = self.frame
        if self._row_numbers is None or self._row_numbers[0] is not frame:
            numbers = frame.groupby(["split", "metric"], sort=False).indices if len(frame) else {}
            self._row_numbers = (frame, numbers)
        return frame.iloc[self._row_numbers[1].get((split, metric), [])]

    def series(self, split: str, metric: str) -> pd.Series:
        """Values of one (split, metric) indexed by epoch (or step), sorted; may be empty."""
        rows = self.rows(split, metric)
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
        rows = self.rows(split, metric)
        steps = rows.loc[rows["epoch"] == x, "step"].to_numpy(dtype="float64")
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
#
# k is settled from the most direct clue there is: --num-classes, the reader's own metadata (HF
# config.json id2label, an MLflow param), a config file next to the log (Lightning's hparams.yaml
# also by the model's output size), and last the curves themselves. A wrong k puts chance in the wrong place, so the curves only
# give k when two different clues agree.


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
            if k is None and filename in HPARAMS_FILES:
                k = _top_level_outputs(data)
            if k:
                return k, path.name
    return None


def _class_count(value: Any) -> int | None:
    """k from a config value: a count, or a list / mapping of the class names."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)) and math.isfinite(value) and value == int(value) and 2 <= value <= MAX_CLASSES:
        return int(value)
    if isinstance(value, (list, dict)) and 2 <= len(value) <= MAX_CLASSES and all(isinstance(v, str) for v in value):
        return len(value)
    return None


def _find_classes(data: Any, depth: int = 0) -> int | None:
    if not isinstance(data, dict) or depth > 3:
        return None
    for key in CLASS_KEYS:
        k = _class_count(data.get(key))
        if k:
            return k
    labels = data.get("id2label")
    if isinstance(labels, dict) and len(labels) >= 2:
        return len(labels)
    for value in data.values():
        found = _find_classes(value, depth + 1)
        if found:
            return found
    return None


def _top_level_outputs(data: Any) -> int | None:
    """A LightningModule's saved init arguments name its output size (``num_outputs: 10``); only
    at the top level, where it is the model's own (nested, it may be a hidden layer's)."""
    if not isinstance(data, dict):
        return None
    return next((k for k in (_class_count(data.get(key)) for key in OUTPUT_KEYS) if k), None)


def _first_finite(series: pd.Series) -> float | None:
    values = series.to_numpy(dtype="float64")
    values = values[np.isfinite(values)]
    return float(values[0]) if len(values) else None


def classes_from_loss(loss: float) -> int | None:
    """k whose ln k is within 15% of a loss (the cross-entropy of a uniform guess over k classes)."""
    if not MIN_CHANCE_LOSS <= loss <= math.log(MAX_CLASSES):
        return None
    k = round(math.exp(loss))
    return k if k >= 2 and abs(loss - math.log(k)) <= 0.15 * math.log(k) else None


def accuracy_at_chance(accuracy: float, k: int) -> bool:
    """Whether an accuracy is what a k-class model guessing at random would score (within 40%)."""
    return 0.6 / k <= accuracy <= 1.4 / k


def infer_classes(run: Run) -> int | None:
    """k when the first training loss is near ln k AND a first accuracy near 1/k, on either split:
    an untrained k-class model scores both. Only the training loss is asked when there is one: the
    first held-out loss comes after a whole epoch of training, and a held-out split below chance (a
    split cut from sorted data: 4.16 with 1.7%) would pass for 64 classes."""
    splits = [s for s in ("train", run.heldout) if s]
    accuracies = [a for a in (_first_finite(run.series(s, "accuracy")) for s in splits) if a is not None]
    losses = [loss for loss in (_first_finite(run.series(s, "loss")) for s in splits) if loss is not None]
    k = classes_from_loss(losses[0]) if losses else None
    return k if k and any(accuracy_at_chance(a, k) for a in accuracies) else None


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
        run.num_classes, run.num_classes_source = k, INFERRED
