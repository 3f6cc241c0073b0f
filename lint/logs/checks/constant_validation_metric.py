"""LOG009 constant-validation-metric."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.logs.checks.base import CHANCE_MARGIN, Example, Hit, LogCheck, align, chance_limit, finite, pct, where


class ConstantValidationMetric(LogCheck):
    """Validation accuracy identical across epochs.

    ## What it does
    Reports a run whose held-out accuracy is exactly the same value for a long stretch that
    starts early and lasts to the end, when that value is low: at or below chance for k classes,
    far below a training accuracy that climbs (whatever k, known or not), or while training
    accuracy is frozen too at a value below 95%.

    ## Why is this bad?
    An accuracy that does not move by a single sample means the predictions do not change:
    usually the model predicts one class for every input and the value is that class's share of
    the split (NaN weights, dead ReLUs, a collapsed model, a split cut from class-sorted data that
    holds classes the model never saw), or the weights stopped changing.

    ## Example
    Breast cancer, 2 classes: validation accuracy 58.77% (the majority class's share) from
    epoch 7 to 39, training accuracy 63.74% (its share in training) the whole time. Or a split
    cut from label-sorted digits: validation 1.67% on 38 of 40 epochs while training climbs to 100%.

    ## Thresholds
    Identical (within `tolerance` = 1e-9) for at least `min_len_frac` = 50% of the points and at
    least `min_len` = 5, the stretch starting within the first `max_start_frac` = 25% of the run;
    and either value <= chance + 0.15 x (1 - chance) (k known), or training accuracy climbing (up
    by at least `min_train_rise` = 0.05 over the run) to at least `min_train_lead` = 0.30 above the
    value, or training accuracy frozen too (its own last stretch as long) at < `train_frozen_max` =
    0.95. Yields to LOG002, LOG004 and LOG006, which explain a frozen validation accuracy.
    Calibrated on the reference runs: the clean runs' validation accuracy is also constant once the
    learning rate has decayed (97.4% on breast cancer, 111 of 114), but high and with training
    accuracy 2.6 points above it: not reported.

    ## References
    The seed post, appended point 10 ("the output can only be one value, e.g. always label 0").
    """

    code = "LOG009"
    name = "constant-validation-metric"
    severity = "warning"
    options = {"tolerance": 1e-9, "min_len_frac": 0.5, "min_len": 5, "max_start_frac": 0.25, "train_frozen_max": 0.95,
               "min_train_rise": 0.05, "min_train_lead": 0.30}

    yields_to = ("LOG002", "LOG004", "LOG006")

    VALID = [
        Example({"accuracy": [0.7, 0.9, 0.95, 0.98, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                 "val_accuracy": [0.7, 0.9, 0.95, 0.974, 0.974, 0.974, 0.974, 0.974, 0.974, 0.974]}, num_classes=2,
                why="converged at a good value"),
        Example({"accuracy": [0.5, 0.55, 0.6, 0.6, 0.62, 0.6, 0.61, 0.6], "val_accuracy": [0.5, 0.52, 0.55, 0.54, 0.56, 0.55, 0.57, 0.55]},
                num_classes=2),
        Example({"accuracy": [0.6, 0.8, 0.9, 0.95, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                 "val_accuracy": [0.6, 0.8, 0.88, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9, 0.9]},
                why="k unknown, constant but only 10 points below a training accuracy that climbed"),
    ]
    INVALID = [
        Example({"accuracy": [0.55, 0.53, 0.62, 0.637, 0.637, 0.637, 0.637, 0.637, 0.637, 0.637],
                 "val_accuracy": [0.41, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588]}, num_classes=2),
        Example({"accuracy": [0.11, 0.097, 0.097, 0.097, 0.097, 0.097, 0.097, 0.097],
                 "val_accuracy": [0.10, 0.108, 0.108, 0.108, 0.108, 0.108, 0.108, 0.108]}, num_classes=10),
        Example({"accuracy": [0.797, 0.97, 0.974, 0.983, 0.992, 0.991, 0.998, 0.999, 0.996, 1.0],
                 "val_accuracy": [0.0167, 0.0139, 0.0167, 0.0167, 0.0167, 0.0167, 0.0167, 0.0167, 0.0167, 0.0167]},
                why="k unknown: validation cut from class-sorted data, identical while training climbs"),
    ]

    def check(self, run) -> Iterator[Hit]:
        opts = self.opts
        heldout = run.heldout
        if heldout is None:
            return
        heldout_acc = run.series(heldout, "accuracy")
        n = len(heldout_acc)
        if n < opts["min_len"]:
            return
        values = heldout_acc.to_numpy(dtype="float64")
        start = self._constant_from(values)
        length = n - start
        if length < max(opts["min_len"], opts["min_len_frac"] * n) or start > opts["max_start_frac"] * n:
            return
        value = float(values[-1])
        k = run.num_classes
        reasons = []
        if k and value <= chance_limit(k, CHANCE_MARGIN):
            reasons.append(f"at or below chance for {k} classes")
        train_acc, _ = align(run.series("train", "accuracy"), heldout_acc)
        train = finite(train_acc).to_numpy()
        if len(train) >= 2:
            climbed = train[-1] - train[0] >= opts["min_train_rise"] and train[-1] - value >= opts["min_train_lead"]
            if climbed and not reasons:
                reasons.append(f"while training accuracy climbed from {pct(train[0])} to {pct(train[-1])}")
        if len(train_acc) == n:
            train_values = train_acc.to_numpy(dtype="float64")
            frozen = n - self._constant_from(train_values)
            if frozen >= max(opts["min_len"], opts["min_len_frac"] * n) and train_values[-1] < opts["train_frozen_max"]:
                reasons.append(f"training accuracy frozen too, at {pct(train_values[-1])} for its last {frozen} "
                               f"{run.unit}s")
        if not reasons:
            return
        evidence = {"value": value, "from": heldout_acc.index[start], "points": length, "of": n}
        shown = pct(value)
        message = (f"{heldout} accuracy is exactly {shown} at every {run.unit} from "
                   f"{where(run, heldout_acc.index[start])} to the end ({length} of {n}; {', '.join(reasons)}): the "
                   f"predictions do not change; typically the model predicts one class and {shown} is that class's "
                   f"share of the {heldout} set, or the weights stopped changing (NaN, learning rate 0, frozen); "
                   "look at the predictions' class counts")
        yield Hit(message, heldout, "accuracy", float(heldout_acc.index[start]), evidence)

    def _constant_from(self, values) -> int:
        """Where the final stretch of values equal to the last one begins."""
        same = np.abs(values - values[-1]) <= self.opts["tolerance"]
        outside = np.flatnonzero(~same)
        return int(outside[-1] + 1) if len(outside) else 0
