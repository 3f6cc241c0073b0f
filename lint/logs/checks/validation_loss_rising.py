"""LOG003 validation-loss-rising."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.logs.checks.base import Example, Hit, LogCheck, align, finite, smooth, where


class ValidationLossRising(LogCheck):
    """Validation loss rises after its minimum while training loss keeps falling.

    ## What it does
    Reports a run whose held-out loss, smoothed, reached a minimum and then rose well above it
    and stayed there to the end, while the training loss went on falling. It names the best epoch
    (where to stop early, or which checkpoint to keep) and by how much the loss rose.

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
    severity = "warning"
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
        held = run.heldout
        if held is None:
            return
        o = self.opts
        vl = finite(run.series(held, "loss"))
        if len(vl) < 6:
            return
        s = smooth(vl, o["window"])
        low = float(s.min())
        end = float(vl.iloc[-3:].median())
        rise = end - low
        if not (end >= low * (1 + o["min_rise_rel"]) and rise >= o["min_rise_abs"]):
            return
        if not np.all(vl.iloc[-3:].to_numpy() > low + rise / 2):
            return
        best_x = vl.index[int(np.argmin(vl.to_numpy()))]
        tl, _ = align(finite(run.series("train", "loss")), vl)
        if len(tl) < 3 or best_x not in tl.index:
            return
        train_best, train_end = float(tl.loc[best_x]), float(tl.iloc[-3:].median())
        if not train_end <= o["train_fall"] * train_best:
            return
        evidence = {"best_epoch" if run.unit == "epoch" else "best_step": best_x,
                    f"{held}_loss_best": float(vl.min()), f"{held}_loss_end": end,
                    "rise": rise, "rise_ratio": end / low if low > 0 else None,
                    "train_loss_at_best": train_best, "train_loss_end": train_end}
        message = (f"{held} loss was lowest at {where(run, best_x)} ({vl.min():.3g}) and rose to {end:.3g} "
                   f"({end / low:.1f}x) while training loss fell from {train_best:.3g} to {train_end:.3g}: "
                   f"stop early or keep {run.checkpoint_text(held, 'loss', best_x)}; add regularization or data")
        yield Hit(message, held, "loss", float(best_x), evidence)
