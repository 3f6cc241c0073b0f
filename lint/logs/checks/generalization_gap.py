"""LOG001 generalization-gap."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, align, final_run_start, gap_points, num, pct, where


class GeneralizationGap(LogCheck):
    """Training accuracy far above validation accuracy (or validation loss far above training
    loss), sustained to the end of the run.

    ## What it does
    Reports a run whose training accuracy stays far above its held-out accuracy (validation, or
    test when that is the only held-out split) until the last epoch, with the epoch the gap opened
    (the start of the final stretch where it holds). When accuracy is not logged, or its gap is
    small, the same is asked of the losses: validation loss far above training loss.

    ## Why is this bad?
    The model fits the training data much better than data it has not seen: it memorizes (too
    little data for the model, no regularization), or the held-out data differ from the training
    data (a split that is not shuffled, a different preprocessing at evaluation, a model left in
    training mode for evaluation).

    ## Example
    Training accuracy 99% from epoch 6, validation 80%: gap 19 points, opened at epoch 1.

    ## Thresholds
    `min_acc_gap` = 0.10 (10 accuracy points) or, for losses, validation - training >=
    `min_loss_gap` = 0.25 and validation >= `min_loss_ratio` = 2 x training; the gap, smoothed
    with a 3-epoch rolling median, must hold on the last epoch and for at least `min_epochs` = 3
    consecutive epochs. Calibrated on the reference runs: the clean runs' largest final gaps are 2.6
    points and 0.13 in loss (breast cancer); overfit_small's is 10.6 points and 0.41 in loss.

    ## References
    Goodfellow, Bengio, Courville, *Deep Learning*, 5.2 (capacity, overfitting and underfitting);
    the seed post, points 4, 8 and 9.
    """

    code = "LOG001"
    name = "generalization-gap"
    severity = Severity.WARNING
    options = {"min_acc_gap": 0.10, "min_loss_gap": 0.25, "min_loss_ratio": 2.0, "min_epochs": 3}

    VALID = [
        Example({"accuracy": [0.6, 0.8, 0.9, 0.95, 0.97, 0.98], "val_accuracy": [0.6, 0.78, 0.88, 0.92, 0.93, 0.94]},
                why="a 4-point gap is normal"),
        Example({"accuracy": [0.6, 0.99, 0.99, 0.8, 0.8, 0.8, 0.8], "val_accuracy": [0.6, 0.7, 0.7, 0.78, 0.79, 0.8, 0.8]},
                why="a gap that closed before the end is not sustained"),
        Example({"loss": [1.0, 0.5, 0.3, 0.2, 0.1, 0.05], "val_loss": [1.0, 0.5, 0.35, 0.3, 0.25, 0.2]},
                why="val loss 4x train but only 0.15 above it"),
    ]
    INVALID = [
        Example({"accuracy": [0.7, 0.9, 0.95, 0.98, 0.99, 0.99, 1.0], "val_accuracy": [0.7, 0.75, 0.78, 0.8, 0.8, 0.79, 0.8]}),
        Example({"loss": [2.0, 1.0, 0.5, 0.2, 0.1, 0.05, 0.02], "val_loss": [2.0, 1.2, 0.9, 0.8, 0.8, 0.85, 0.8]},
                why="no accuracy logged: the loss gap"),
    ]

    def check(self, run) -> Iterator[Hit]:
        heldout = run.heldout
        if heldout is None:
            return
        opts = self.opts
        train_acc, heldout_acc = align(run.series("train", "accuracy"), run.series(heldout, "accuracy"))
        evidence = {}
        metric = None
        if len(heldout_acc) >= opts["min_epochs"]:
            gap = train_acc - heldout_acc
            wide = (gap.rolling(3, center=True, min_periods=1).median() >= opts["min_acc_gap"]).to_numpy()
            start = final_run_start(wide & np.isfinite(gap.to_numpy()))
            if start is not None and len(gap) - start >= opts["min_epochs"]:
                metric, opened = "accuracy", gap.index[start]
                evidence.update({"train_accuracy": float(train_acc.iloc[-1]),
                                 f"{heldout}_accuracy": float(heldout_acc.iloc[-1]),
                                 "final_gap": float(gap.iloc[-1]), "max_gap": float(gap.max()),
                                 "gap_opened_at": float(opened), "min_acc_gap": opts["min_acc_gap"]})
        train_loss, heldout_loss = align(run.series("train", "loss"), run.series(heldout, "loss"))
        if len(heldout_loss) >= opts["min_epochs"]:
            difference = heldout_loss - train_loss
            times = heldout_loss / train_loss.where(train_loss > 0)
            apart = (difference >= opts["min_loss_gap"]) & (times >= opts["min_loss_ratio"])
            sustained = apart.astype(float).rolling(3, center=True, min_periods=1).median().to_numpy() >= 0.5
            loss_start = final_run_start(sustained & np.isfinite(difference.to_numpy()))
            if loss_start is not None and len(difference) - loss_start >= opts["min_epochs"]:
                evidence.update({"train_loss": float(train_loss.iloc[-1]), f"{heldout}_loss": float(heldout_loss.iloc[-1]),
                                 "loss_gap_opened_at": float(difference.index[loss_start])})
                if metric is None:
                    metric, opened = "loss", difference.index[loss_start]
        if metric is None:
            return
        if metric == "accuracy":
            last_train, last_heldout = train_acc.iloc[-1], heldout_acc.iloc[-1]
            text = (f"training accuracy {pct(last_train)} vs {heldout} {pct(last_heldout)} at the last {run.unit}: "
                    f"a gap of {gap_points(last_train, last_heldout)} points, at least "
                    f"{100 * opts['min_acc_gap']:.0f} since {where(run, opened)}")
            if "train_loss" in evidence:
                text += f" ({heldout} loss {num(evidence[heldout + '_loss'])} vs training {num(evidence['train_loss'])})"
        else:
            text = (f"{heldout} loss {num(heldout_loss.iloc[-1])} vs training loss {num(train_loss.iloc[-1])} at the "
                    f"last {run.unit}, far apart since {where(run, opened)}")
        text += ("; look at: how much data the model has for its size (regularization, augmentation, "
                 f"a smaller model), whether the {heldout} data come from the same distribution "
                 "(shuffled before the split, same preprocessing), model.eval() at evaluation")
        yield Hit(text, heldout, metric, float(opened), evidence)
