"""LOG010 validation-better-than-train."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, align, num, pct


class ValidationBetterThanTrain(LogCheck):
    """Validation persistently better than training.

    ## What it does
    Reports a run whose held-out accuracy is above training accuracy (or held-out loss below
    training loss, when accuracy is not logged) on most epochs after the first.

    ## Why is this bad?
    Often it is benign: dropout, heavy augmentation or other regularization that is active only
    in training mode, and training metrics averaged over an epoch while the weights improve. But it
    can also mean a leak (validation samples also in training, duplicates across the split) or an
    easier validation set, which makes the validation number worthless. Worth a look, hence info.

    ## Example
    Training accuracy 86%, validation 91% for 39 of 39 epochs (dropout 0.2, most layers frozen).

    ## Thresholds
    Accuracy: held-out - training >= `min_gap` = 0.03 on >= `min_frac` = 75% of the points after
    the first; loss: held-out <= (1 - `min_loss_rel`) x training, `min_loss_rel` = 0.15, on as many;
    at least 5 points. Calibrated on the reference runs: the clean runs are below the bar (their
    first epoch is skipped), frozen (+4.7 points) and sched_per_iter (+4.5) are reported.

    ## References
    Keras FAQ, "Why is my training loss much higher than my testing loss?" (dropout and
    regularization are off at test time; training loss is an average over the epoch).
    """

    code = "LOG010"
    name = "validation-better-than-train"
    severity = Severity.INFO
    options = {"min_gap": 0.03, "min_frac": 0.75, "min_loss_rel": 0.15}
    yields_to = ("LOG002", "LOG004", "LOG006")

    VALID = [
        Example({"accuracy": [0.7, 0.9, 0.95, 0.97, 0.98, 0.99], "val_accuracy": [0.9, 0.93, 0.95, 0.96, 0.97, 0.97]},
                why="only the first epoch"),
    ]
    INVALID = [
        Example({"accuracy": [0.3, 0.69, 0.77, 0.83, 0.85, 0.86, 0.86], "val_accuracy": [0.71, 0.84, 0.89, 0.89, 0.9, 0.91, 0.91]}),
        Example({"loss": [2.2, 1.3, 1.0, 0.9, 0.85, 0.8, 0.8], "val_loss": [2.1, 0.9, 0.7, 0.6, 0.6, 0.55, 0.55]}),
    ]

    def check(self, run) -> Iterator[Hit]:
        opts = self.opts
        heldout = run.heldout
        if heldout is None:
            return
        train_acc, heldout_acc = align(run.series("train", "accuracy"), run.series(heldout, "accuracy"))
        if len(heldout_acc) >= 5:
            lead = (heldout_acc - train_acc).iloc[1:]
            better = lead >= opts["min_gap"]
            if better.mean() >= opts["min_frac"]:
                median = float(lead.median())
                message = (f"{heldout} accuracy is above training accuracy on {int(better.sum())} of {len(better)} "
                           f"{run.unit}s after the first (median +{100 * median + 0.0:.1f} points; last: "
                           f"{pct(heldout_acc.iloc[-1])} vs {pct(train_acc.iloc[-1])}); usually dropout or augmentation "
                           f"active only in training; rule out a leak (the same samples in both splits) or an easier "
                           f"{heldout} set")
                yield Hit(message, heldout, "accuracy", float(heldout_acc.index[1]),
                          {"points_better": int(better.sum()), "points": len(better), "median_gap": median})
            return
        train_loss, heldout_loss = align(run.series("train", "loss"), run.series(heldout, "loss"))
        if len(heldout_loss) >= 5:
            better = (heldout_loss <= (1 - opts["min_loss_rel"]) * train_loss).iloc[1:]
            if better.mean() >= opts["min_frac"] and np.all(np.isfinite(heldout_loss.to_numpy())):
                message = (f"{heldout} loss is below training loss on {int(better.sum())} of {len(better)} {run.unit}s "
                           f"after the first (last: {num(heldout_loss.iloc[-1])} vs {num(train_loss.iloc[-1])}); "
                           "usually dropout or augmentation active only in training; rule out a leak or an easier "
                           f"{heldout} set")
                yield Hit(message, heldout, "loss", float(heldout_loss.index[1]),
                          {"points_better": int(better.sum()), "points": len(better)})
