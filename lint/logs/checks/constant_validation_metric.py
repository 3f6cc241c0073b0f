"""LOG009 constant-validation-metric."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.logs.checks.base import Example, Hit, LogCheck, align, chance_limit, pct, where


class ConstantValidationMetric(LogCheck):
    """Validation accuracy identical across epochs.

    ## What it does
    Reports a run whose held-out accuracy is exactly the same value for a long stretch that
    starts early and lasts to the end, when that value is low: at or below chance for k classes,
    or while training accuracy is frozen too at a value below 95%.

    ## Why is this bad?
    An accuracy that does not move by a single sample means the predictions do not change:
    usually the model predicts one class for every input and the value is that class's share of
    the split (NaN weights, dead ReLUs, a collapsed model), or the weights stopped changing.

    ## Example
    Breast cancer, 2 classes: validation accuracy 58.77% (the majority class's share) from
    epoch 7 to 39, training accuracy 63.74% (its share in training) the whole time.

    ## Thresholds
    Identical (within `tolerance` = 1e-9) for at least `min_len_frac` = 50% of the points and at
    least `min_len` = 5, the stretch starting within the first `max_start_frac` = 25% of the run;
    and either value <= chance + 0.15 x (1 - chance) (k known), or training accuracy frozen too (its own
    last stretch as long) at < `train_frozen_max` = 0.95. Yields to LOG002, LOG004 and LOG006,
    which explain a frozen validation accuracy. Calibrated on the reference runs: the clean runs'
    validation accuracy is also constant once the learning rate has decayed (97.4% on breast cancer,
    111 of 114), but high and with training accuracy at 100%: not reported.

    ## References
    The seed post, appended point 10 ("the output can only be one value, e.g. always label 0").
    """

    code = "LOG009"
    name = "constant-validation-metric"
    severity = "warning"
    options = {"tolerance": 1e-9, "min_len_frac": 0.5, "min_len": 5, "max_start_frac": 0.25, "train_frozen_max": 0.95}

    yields_to = ("LOG002", "LOG004", "LOG006")

    VALID = [
        Example({"accuracy": [0.7, 0.9, 0.95, 0.98, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0],
                 "val_accuracy": [0.7, 0.9, 0.95, 0.974, 0.974, 0.974, 0.974, 0.974, 0.974, 0.974]}, num_classes=2,
                why="converged at a good value"),
        Example({"accuracy": [0.5, 0.55, 0.6, 0.6, 0.62, 0.6, 0.61, 0.6], "val_accuracy": [0.5, 0.52, 0.55, 0.54, 0.56, 0.55, 0.57, 0.55]},
                num_classes=2),
    ]
    INVALID = [
        Example({"accuracy": [0.55, 0.53, 0.62, 0.637, 0.637, 0.637, 0.637, 0.637, 0.637, 0.637],
                 "val_accuracy": [0.41, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588, 0.588]}, num_classes=2),
        Example({"accuracy": [0.11, 0.097, 0.097, 0.097, 0.097, 0.097, 0.097, 0.097],
                 "val_accuracy": [0.10, 0.108, 0.108, 0.108, 0.108, 0.108, 0.108, 0.108]}, num_classes=10),
    ]

    def check(self, run) -> Iterator[Hit]:
        o = self.opts
        held = run.heldout
        if held is None:
            return
        va = run.series(held, "accuracy")
        n = len(va)
        if n < o["min_len"]:
            return
        values = va.to_numpy(dtype="float64")
        same = np.abs(values - values[-1]) <= o["tolerance"]
        outside = np.flatnonzero(~same)
        start = int(outside[-1] + 1) if len(outside) else 0
        length = n - start
        if length < max(o["min_len"], o["min_len_frac"] * n) or start > o["max_start_frac"] * n:
            return
        value = float(values[-1])
        k = run.num_classes
        reasons = []
        if k and value <= chance_limit(k, 0.15):
            reasons.append(f"at or below chance for {k} classes")
        tr, _ = align(run.series("train", "accuracy"), va)
        if len(tr) == n:
            tv = tr.to_numpy(dtype="float64")
            t_out = np.flatnonzero(np.abs(tv - tv[-1]) > o["tolerance"])
            t_len = n - (int(t_out[-1] + 1) if len(t_out) else 0)
            if t_len >= max(o["min_len"], o["min_len_frac"] * n) and tv[-1] < o["train_frozen_max"]:
                reasons.append(f"training accuracy frozen too, at {pct(tv[-1])} for its last {t_len} {run.unit}s")
        if not reasons:
            return
        evidence = {"value": value, "from": va.index[start], "points": length, "of": n}
        message = (f"{held} accuracy is exactly {100 * value:.2f}% at every {run.unit} from {where(run, va.index[start])} "
                   f"to the end ({length} of {n}; {', '.join(reasons)}): the predictions do not change; "
                   f"typically the model predicts one class and {100 * value:.2f}% is that class's share of the {held} "
                   "set, or the weights stopped changing (NaN, learning rate 0, frozen); look at the predictions' "
                   "class counts")
        yield Hit(message, held, "accuracy", float(va.index[start]), evidence)
