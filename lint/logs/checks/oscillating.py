"""LOG008 oscillating."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, finite, quote, where


class Oscillating(LogCheck):
    """Loss or accuracy swinging up and down persistently.

    ## What it does
    Looks at the second half of each loss and accuracy curve (training and held-out) and reports
    the first one whose consecutive changes are mostly large and mostly alternate in sign: a
    zig-zag that does not settle.

    ## Why is this bad?
    The optimizer keeps overshooting (learning rate too high for the batch size, no decay), the
    batches are tiny or unrepresentative (unshuffled, sorted data), or the evaluation itself is
    noisy (a model evaluated in training mode with dropout/batch-norm, a tiny validation set).
    The final-epoch numbers of such a run are a lottery.

    ## Example
    Validation loss 0.5, 0.9, 0.45, 0.95, 0.5, 0.9, ... over the second half of the run.

    ## Thresholds
    In the second half (at least `min_points` = 10 points in the whole curve): at least
    `min_big` = 50% of the changes are large (>= `min_swing` = 15% of the median level and >= `min_swing_abs` = 0.02 for a loss,
    >= `min_swing_acc` = 0.05 absolute for an accuracy), at least `min_alternation` = 70% of
    consecutive changes flip sign, and at least 4 large changes. Calibrated on the reference runs:
    missing_eval's validation loss (model left in training mode, evaluation batch of 4) swings 0.62-
    0.80 but only 26% of its changes reach 15% and it is not reported; clean-s0's converged training
    loss zig-zags between 0.010 and 0.018, below `min_swing_abs`.

    ## References
    Goodfellow et al., *Deep Learning*, 8.1.3 (batch size and gradient noise); the seed post's note
    on small batches and gradient oscillation.
    """

    code = "LOG008"
    name = "oscillating"
    severity = Severity.WARNING
    options = {"min_points": 10, "min_big": 0.5, "min_swing": 0.15, "min_swing_acc": 0.05, "min_alternation": 0.7,
               "min_swing_abs": 0.02}
    yields_to = ("LOG004", "LOG005")

    VALID = [
        Example({"loss": [1.0, 0.8, 0.7, 0.62, 0.6, 0.55, 0.56, 0.53, 0.54, 0.52, 0.53, 0.51]}),
        Example({"loss": [1.0, 0.8, 0.7, 0.62, 0.6, 0.55, 0.57, 0.54, 0.56, 0.53, 0.55, 0.52]},
                why="small noise, not swings"),
    ]
    INVALID = [
        Example({"loss": [1.0, 0.8, 0.7, 0.6, 0.5, 0.9, 0.45, 0.95, 0.5, 0.9, 0.45, 0.92]}),
        Example({"loss": [1.0, 0.8, 0.7, 0.6, 0.5, 0.45, 0.4, 0.38, 0.36, 0.35, 0.34, 0.33],
                 "val_accuracy": [0.5, 0.6, 0.7, 0.75, 0.8, 0.6, 0.82, 0.58, 0.8, 0.6, 0.81, 0.59]}),
    ]

    def check(self, run) -> Iterator[Hit]:
        opts = self.opts
        order = [("train", "loss"), (run.heldout, "loss"), (run.heldout, "accuracy"), ("train", "accuracy")]
        for split, metric in order:
            if split is None:
                continue
            series = finite(run.series(split, metric))
            if len(series) < opts["min_points"]:
                continue
            half = series.iloc[len(series) // 2 - 1:]
            changes = np.diff(half.to_numpy())
            if metric == "loss":
                level = float(np.median(np.abs(half.to_numpy())))
                # a converged loss (0.01 +- 0.005) zig-zags by nature: require an absolute size too
                swing = max(opts["min_swing"] * level, opts["min_swing_abs"])
            else:
                swing = opts["min_swing_acc"]
            big = np.abs(changes) >= swing
            signs = np.sign(changes[changes != 0])
            flips = float(np.mean(signs[1:] != signs[:-1])) if len(signs) > 1 else 0.0
            if big.sum() >= 4 and big.mean() >= opts["min_big"] and flips >= opts["min_alternation"]:
                evidence = {"from": half.index[0], "large_changes": int(big.sum()), "changes": len(changes),
                            "sign_flips": flips, "swing_threshold": swing, "min": float(half.min()),
                            "max": float(half.max())}
                message = (f"{split} {metric} swings between {quote(half.min(), metric)} and {quote(half.max(), metric)} from "
                           f"{where(run, half.index[0])} on ({int(big.sum())} of {len(changes)} changes of at least "
                           f"{swing:.3g}, {100 * flips:.0f}% alternating); look at: the learning rate (lower it or "
                           "decay it), batch size and shuffling, model.eval() during evaluation, the size of the "
                           f"{split} set")
                yield Hit(message, split, metric, float(half.index[0]), evidence)
                return
