"""LOG003 validation-loss-rising."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import (CHANCE_MARGIN, Example, Hit, LogCheck, align, chance_limit, finite, num, pct,
                                      ratio, smooth, where)


class ValidationLossRising(LogCheck):
    """Validation loss rises after its minimum while training loss keeps falling.

    ## What it does
    Reports a run whose held-out loss, smoothed, reached a minimum and then rose well above it
    and stayed there to the end, while the training loss went on falling. It names the best epoch
    (where to stop early, or which checkpoint to keep: named by its step where the log knows it, as
    the Hugging Face Trainer names its checkpoints) and by how much the loss rose. When the held-out
    accuracy was already at chance at that epoch, no checkpoint is advised: none is worth keeping.

    ## Why is this bad?
    From the best epoch on the model fits the training set at the expense of held-out data: the
    later weights are worse than the best ones. Early stopping, more regularization or more data
    help; a rise from the very start points at the data instead (see LOG001/LOG002).

    ## Example
    Validation loss 0.69 at epoch 2 (best), 3.31 at epoch 79; training loss 0.69 -> 0.0045.

    ## Thresholds
    End level (median of the last 3 epochs) >= (1 + `min_rise_rel`) x the minimum of the
    `window`-epoch rolling median, `min_rise_rel` = 0.25, and at least `min_rise_abs` = 0.10 above it;
    each of the last 3 epochs above the minimum + half that; training loss at the end <=
    `train_fall` = 0.9 x its value at the best epoch. Calibrated on the reference runs: clean_bc's
    validation loss rises 0.03 (0.108 -> 0.141), below the bar; random_labels_binary's 0.69 -> 3.31.

    ## References
    Prechelt, "Early Stopping - But When?" (1998); Keras `EarlyStopping`,
    Lightning `EarlyStopping` callbacks.
    """

    code = "LOG003"
    name = "validation-loss-rising"
    severity = Severity.WARNING
    options = {"min_rise_rel": 0.25, "min_rise_abs": 0.10, "train_fall": 0.9, "window": 5}

    VALID = [
        Example({"loss": [1.0, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1, 0.08], "val_loss": [1.0, 0.65, 0.5, 0.45, 0.43, 0.42, 0.42, 0.41]}),
        Example({"loss": [1.0, 0.6, 0.4, 0.3, 0.2, 0.15, 0.1, 0.08], "val_loss": [1.0, 0.6, 0.5, 1.4, 0.45, 0.44, 0.45, 0.44]},
                why="one bad epoch is not a trend"),
        Example({"loss": [0.3, 0.1, 0.05, 0.03, 0.02, 0.01, 0.01, 0.01], "val_loss": [0.2, 0.11, 0.108, 0.12, 0.13, 0.14, 0.14, 0.141]},
                why="rise of 0.03 in absolute terms: noise-level for a cross-entropy"),
    ]
    INVALID = [
        Example({"loss": [0.7, 0.6, 0.5, 0.4, 0.3, 0.2, 0.1, 0.05, 0.02],
                 "val_loss": [0.7, 0.68, 0.69, 0.75, 0.9, 1.2, 1.6, 2.0, 2.3]}),
    ]

    def check(self, run) -> Iterator[Hit]:
        heldout = run.heldout
        if heldout is None:
            return
        opts = self.opts
        heldout_loss = finite(run.series(heldout, "loss"))
        if len(heldout_loss) < 6:
            return
        low = float(smooth(heldout_loss, opts["window"]).min())
        end = float(heldout_loss.iloc[-3:].median())
        rise = end - low
        if not (end >= low * (1 + opts["min_rise_rel"]) and rise >= opts["min_rise_abs"]):
            return
        if not np.all(heldout_loss.iloc[-3:].to_numpy() > low + rise / 2):
            return
        best_x = heldout_loss.index[int(np.argmin(heldout_loss.to_numpy()))]
        train_loss, _ = align(finite(run.series("train", "loss")), heldout_loss)
        if len(train_loss) < 3 or best_x not in train_loss.index:
            return
        train_best, train_end = float(train_loss.loc[best_x]), float(train_loss.iloc[-3:].median())
        if not train_end <= opts["train_fall"] * train_best:
            return
        best = float(heldout_loss.min())
        last, train_last = float(heldout_loss.iloc[-1]), float(train_loss.iloc[-1])
        times = ratio(last, best)
        evidence = {"best_epoch" if run.unit == "epoch" else "best_step": best_x,
                    f"{heldout}_loss_best": best, f"{heldout}_loss_end": end, f"{heldout}_loss_last": last,
                    "rise": rise, "rise_ratio": ratio(end, low), "train_loss_at_best": train_best,
                    "train_loss_end": train_end}
        # the logged values, as every other finding quotes them (the medians above decide)
        message = (f"{heldout} loss was lowest at {where(run, best_x)} ({num(best)}) and is {num(last)} at the last "
                   f"{run.unit}" + (f" ({times:.1f}x)" if times is not None else "")
                   + f", while training loss fell from {num(train_best)} to {num(train_last)}: ")
        chance = self._accuracy_at_chance(run, heldout, best_x)
        if chance is None:
            message += (f"stop early or keep {run.checkpoint_text(heldout, 'loss', best_x)}; "
                        "add regularization or data")
        else:
            # The best loss is no model worth keeping when it already scored chance there.
            evidence[f"{heldout}_accuracy_at_best"] = chance
            message += (f"{heldout} accuracy was {pct(chance)} at {where(run, best_x)}, chance level for "
                        f"{run.num_classes} classes: no {run.unit} of this run is worth keeping; fix what keeps "
                        f"the {heldout} accuracy at chance first")
        yield Hit(message, heldout, "loss", float(best_x), evidence)

    @staticmethod
    def _accuracy_at_chance(run, heldout: str, x: float) -> float | None:
        """The held-out accuracy at ``x`` when it is at chance (k known), else None."""
        accuracy = run.series(heldout, "accuracy")
        if not run.num_classes or x not in accuracy.index:
            return None
        value = float(accuracy.loc[x])
        return value if value <= chance_limit(run.num_classes, CHANCE_MARGIN) else None
