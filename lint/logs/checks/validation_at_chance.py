"""LOG002 validation-at-chance."""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import (Example, Hit, LogCheck, align, chance_limit, classes_text, final_run_start,
                                      num, pct, tail_median, where)


class ValidationAtChance(LogCheck):
    """Validation accuracy at or below chance while training accuracy rises.

    ## What it does
    Reports a run whose held-out accuracy (median of the last third of the epochs) is at or below
    chance for its number of classes k, while training accuracy is well above it. When training
    accuracy is not logged (the Hugging Face Trainer logs only the loss), the held-out accuracy is
    judged alone, over at least `min_alone` points. k comes from `--num-classes`, from the run's
    metadata (`meta.json`, `config.json` `id2label`, `hparams.yaml`, an MLflow `num_classes`
    param), or is inferred when a first loss is near ln k and a first accuracy near 1/k; with k
    unknown the check stays silent.

    ## Why is this bad?
    The model learned something that does not transfer at all: the seed's case (97% training,
    50% validation on a binary task). The usual causes are in the data pipeline, not the model: the
    data were not shuffled before the split (label-sorted data put classes in validation the model
    never saw), data and labels were misaligned (labels shuffled or filtered separately), or the
    validation data are preprocessed differently (no normalization at test time).

    ## Example
    10 classes; training accuracy 100%, validation 1.7% from epoch 0 to 39.

    ## Thresholds
    At chance: held-out accuracy <= 1/k + `margin` x (1 - 1/k), `margin` = 0.15 (57.5% for 2
    classes, 23.5% for 10). Training must reach that limit + `min_train_lead` = 0.20. Without a
    training accuracy, the held-out accuracy must be at chance on each of its last `min_alone` = 5
    points. Yields to LOG004 and LOG006: NaN weights and a model that learns nothing also score
    chance on held-out data. Not to LOG005: when a schedule brought a diverged loss back down (the
    Hugging Face Trainer's linear decay), the validation at chance is worth its own line. Calibrated on the reference runs: random_labels_binary's
    validation ends at 54.9%, unshuffled_split's at 1.7%; the lowest healthy validation accuracy is
    80.8% (missing_eval) and the binary no_normalization_bc run, whose training accuracy never
    rises, is not reported.

    ## References
    The seed post, points 2, 5, 6 and 11, and its appended list: 3 (no shuffle before the split),
    4 (data and labels not aligned), 2 (no normalization).
    """

    code = "LOG002"
    name = "validation-at-chance"
    severity = Severity.ERROR
    options = {"margin": 0.15, "min_train_lead": 0.20, "min_alone": 5}
    yields_to = ("LOG004", "LOG006")

    VALID = [
        Example({"accuracy": [0.5, 0.7, 0.9, 0.97, 0.97, 0.98], "val_accuracy": [0.5, 0.68, 0.85, 0.9, 0.9, 0.91]},
                num_classes=2),
        Example({"accuracy": [0.5, 0.5, 0.52, 0.5, 0.51, 0.5], "val_accuracy": [0.5, 0.49, 0.5, 0.5, 0.51, 0.5]},
                num_classes=2, why="training at chance too: not-learning, not this"),
        Example({"accuracy": [0.5, 0.7, 0.9, 0.97, 0.97, 0.98], "val_accuracy": [0.5, 0.5, 0.5, 0.51, 0.5, 0.5]},
                why="number of classes unknown and not inferable: silence"),
        Example({"loss": [2.3, 1.9, 1.5, 1.2, 1.0, 0.9], "val_accuracy": [0.1, 0.3, 0.5, 0.6, 0.08, 0.62]},
                num_classes=10, why="no training accuracy and validation above chance on most of the last points"),
    ]
    INVALID = [
        Example({"accuracy": [0.55, 0.7, 0.85, 0.95, 0.97, 0.97], "val_accuracy": [0.5, 0.52, 0.5, 0.49, 0.51, 0.5]},
                num_classes=2),
        Example({"loss": [2.3, 1.0, 0.4, 0.1, 0.05, 0.02], "accuracy": [0.1, 0.7, 0.9, 0.98, 0.99, 1.0],
                 "val_accuracy": [0.1, 0.02, 0.02, 0.02, 0.02, 0.02]},
                why="k = 10 inferred from loss ln 10 and accuracy 1/10 at epoch 0"),
        Example({"loss": [2.3, 1.2, 0.6, 0.3, 0.1, 0.05, 0.03],
                 "val_accuracy": [0.1, 0.09, 0.11, 0.1, 0.1, 0.09, 0.11]},
                num_classes=10, why="Hugging Face Trainer: no training accuracy, validation at chance alone"),
    ]

    def check(self, run) -> Iterator[Hit]:
        heldout, k = run.heldout, run.num_classes
        if heldout is None or not k:
            return
        opts = self.opts
        limit = chance_limit(k, opts["margin"])
        train_acc, heldout_acc = align(run.series("train", "accuracy"), run.series(heldout, "accuracy"))
        alone = run.series("train", "accuracy").empty
        if alone:
            heldout_acc = run.series(heldout, "accuracy")
            last = heldout_acc.to_numpy(dtype="float64")[-opts["min_alone"]:]
            if len(heldout_acc) < opts["min_alone"] or not np.all(last <= limit):
                return
        elif len(heldout_acc) < 3:
            return
        heldout_end = tail_median(heldout_acc)
        if not heldout_end <= limit:
            return
        if not alone and not tail_median(train_acc) >= limit + opts["min_train_lead"]:
            return
        start = final_run_start((heldout_acc <= limit).to_numpy())
        since = heldout_acc.index[start] if start is not None else heldout_acc.index[-1]
        evidence = {"num_classes": k, "num_classes_from": run.num_classes_source, "chance": 1 / k,
                    "at_chance_limit": limit, f"{heldout}_accuracy_end": heldout_end,
                    f"{heldout}_accuracy_max": float(heldout_acc.max()), f"{heldout}_accuracy_last": float(heldout_acc.iloc[-1])}
        message = (f"{heldout} accuracy is at or below chance ({pct(1 / k)}; {classes_text(run)}) since "
                   f"{where(run, since)}: {pct(heldout_acc.iloc[-1])} at the last {run.unit}")
        if alone:
            message += self._training_without_accuracy(run, k, evidence)
        else:
            evidence["train_accuracy_end"] = tail_median(train_acc)
            message += f", while training accuracy reached {pct(train_acc.iloc[-1])}"
        message += (f"; look at: whether the data were shuffled before the split (sorted data put unseen classes in "
                    f"{heldout}), whether data and labels stay aligned (labels shuffled or filtered separately), "
                    f"whether the {heldout} data are normalized like the training data")
        yield Hit(message, heldout, "accuracy", float(since), evidence)

    @staticmethod
    def _training_without_accuracy(run, k: int, evidence: dict) -> str:
        """What the training loss says when training accuracy is not logged."""
        loss = run.series("train", "loss")
        loss = loss[np.isfinite(loss.to_numpy(dtype="float64"))]
        if loss.empty:
            return " (training accuracy and loss are not logged)"
        evidence["train_loss_last"] = float(loss.iloc[-1])
        uniform = math.log(k)
        if loss.iloc[-1] < 0.5 * uniform:
            return (f" (training accuracy is not logged; the training loss fell to {num(loss.iloc[-1])}, far below "
                    f"ln {k} = {uniform:.3f}: the model learned the training data)")
        return (f" (training accuracy is not logged; the training loss ends at {num(loss.iloc[-1])}, near or above "
                f"ln {k} = {uniform:.3f}, the loss of a uniform guess: the model may have learned nothing at all, "
                "look at the learning rate too)")
