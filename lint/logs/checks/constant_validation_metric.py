"""LOG009 constant-validation-metric."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import CHANCE_MARGIN, Example, Hit, LogCheck, align, chance_limit, finite, num, pct, where


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
    and either value <= chance + 0.15 x (1 - chance) (k known), or training accuracy frozen too (its
    own last stretch as long) at < `train_frozen_max` = 0.95, or training that goes on learning:
    its accuracy climbing (up by at least `min_train_rise` = 0.05 over the run) to at least
    `min_train_lead` = 0.30 above the value, or, with no training accuracy logged, its loss falling
    to `max_train_loss_frac` = 0.2 of its start with the value <= 50%. With training that goes on
    learning, a held-out accuracy that stays within `near_tolerance` = 0.01 of its last value (a few
    samples up or down: Keras' validation cut from sorted digits, 0.8% to 1.7%) counts too. Yields to LOG002, LOG004 and LOG006, which explain a frozen validation accuracy.
    Calibrated on the reference runs: the clean runs' validation accuracy is also constant once the
    learning rate has decayed (97.4% on breast cancer, 111 of 114), but high and with training
    accuracy 2.6 points above it: not reported.

    ## References
    The seed post, appended point 10 ("the output can only be one value, e.g. always label 0").
    """

    code = "LOG009"
    name = "constant-validation-metric"
    severity = Severity.WARNING
    options = {"tolerance": 1e-9, "min_len_frac": 0.5, "min_len": 5, "max_start_frac": 0.25, "train_frozen_max": 0.95,
               "min_train_rise": 0.05, "min_train_lead": 0.30, "near_tolerance": 0.01, "max_train_loss_frac": 0.2}

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
        Example({"accuracy": [0.521, 0.913, 0.944, 0.964, 0.968, 0.979, 0.979, 0.987, 0.985, 0.988],
                 "val_accuracy": [0.0083, 0.0111, 0.0111, 0.0111, 0.0111, 0.0111, 0.0111, 0.0111, 0.0167, 0.0139]},
                why="k unknown (Keras): within a point of 1.4% while training climbs"),
        Example({"loss": [1.68, 0.92, 0.45, 0.28, 0.2, 0.15, 0.12, 0.1, 0.09, 0.08],
                 "val_accuracy": [0.0167] * 10},
                why="PyTorch examples' print lines: no training accuracy, the training loss falls"),
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
        value = float(values[-1])
        exact = self._stretch(values, opts["tolerance"])
        reasons = self._frozen_reasons(run, heldout_acc, value) if exact is not None else []
        near = exact
        if not reasons:
            near = self._stretch(values, opts["near_tolerance"])
            climbing = self._training_climbs(run, heldout_acc, value) if near is not None else None
            if climbing is None:
                return
            reasons = [climbing]
        start = exact if exact is not None and exact <= near else near
        length = n - start
        evidence = {"value": value, "from": heldout_acc.index[start], "points": length, "of": n,
                    "min": float(values[start:].min()), "max": float(values[start:].max())}
        shown = pct(value)
        if start == exact:
            stays = f"is exactly {shown} at every {run.unit}"
        else:
            stays = (f"stays within {100 * opts['near_tolerance']:.0f} point of {shown} (between "
                     f"{pct(values[start:].min())} and {pct(values[start:].max())}) at every {run.unit}")
        message = (f"{heldout} accuracy {stays} from {where(run, heldout_acc.index[start])} to the end ({length} of "
                   f"{n}; {', '.join(reasons)}): the predictions do not change; typically the model predicts one "
                   f"class and {shown} is that class's share of the {heldout} set, or the weights stopped changing "
                   "(NaN, learning rate 0, frozen); look at the predictions' class counts")
        yield Hit(message, heldout, "accuracy", float(heldout_acc.index[start]), evidence)

    def _stretch(self, values, tolerance: float) -> int | None:
        """Where the final stretch of values within ``tolerance`` of the last one begins, when it
        starts early and is long enough."""
        opts = self.opts
        outside = np.flatnonzero(~(np.abs(values - values[-1]) <= tolerance))
        start = int(outside[-1] + 1) if len(outside) else 0
        long_enough = len(values) - start >= max(opts["min_len"], opts["min_len_frac"] * len(values))
        return start if long_enough and start <= opts["max_start_frac"] * len(values) else None

    def _frozen_reasons(self, run, heldout_acc, value: float) -> list[str]:
        """Why an identical accuracy is suspect: at chance, or training accuracy frozen too (or
        climbing far above it)."""
        opts = self.opts
        reasons = []
        k = run.num_classes
        if k and value <= chance_limit(k, CHANCE_MARGIN):
            reasons.append(f"at or below chance for {k} classes")
        train_acc, _ = align(run.series("train", "accuracy"), heldout_acc)
        if len(train_acc) == len(heldout_acc):
            train_values = train_acc.to_numpy(dtype="float64")
            moved = np.flatnonzero(~(np.abs(train_values - train_values[-1]) <= opts["tolerance"]))
            frozen = len(train_values) - (int(moved[-1]) + 1 if len(moved) else 0)
            if frozen >= max(opts["min_len"], opts["min_len_frac"] * len(train_values)) and \
                    train_values[-1] < opts["train_frozen_max"]:
                reasons.append(f"training accuracy frozen too, at {pct(train_values[-1])} for its last {frozen} "
                               f"{run.unit}s")
        if not reasons:
            climbing = self._training_climbs(run, heldout_acc, value)
            reasons += [climbing] if climbing else []
        return reasons

    def _training_climbs(self, run, heldout_acc, value: float) -> str | None:
        """Training that goes on learning while the held-out accuracy does not move: its accuracy
        climbs far above the value, or (accuracy not logged) its loss falls to a fraction of its start."""
        opts = self.opts
        train_acc, _ = align(run.series("train", "accuracy"), heldout_acc)
        train = finite(train_acc).to_numpy()
        if len(train) >= 2:
            if train[-1] - train[0] >= opts["min_train_rise"] and train[-1] - value >= opts["min_train_lead"]:
                return f"while training accuracy climbed from {pct(train[0])} to {pct(train[-1])}"
            return None
        loss = finite(run.series("train", "loss")).to_numpy()
        if (run.series("train", "accuracy").empty and len(loss) >= 2 and value <= 0.5 and loss[0] > 0
                and loss[-1] <= opts["max_train_loss_frac"] * loss[0]):
            return (f"while the training loss fell from {num(loss[0])} to {num(loss[-1])} (training accuracy is "
                    "not logged)")
        return None
