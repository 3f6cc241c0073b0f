"""LOG007 stalled-early."""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, finite, num, smooth, where


def softmax_floor(k: int) -> float:
    """Lowest cross-entropy when the logits are probabilities in [0, 1] (Softmax fed to
    CrossEntropyLoss): the true class at 1 and the others at 0 give log(1 + (k-1)/e)."""
    return math.log(1 + (k - 1) / math.e)


class StalledEarly(LogCheck):
    """A plateau at a high loss after an early drop, with its likely cause.

    ## What it does
    Reports a run whose training loss dropped, then went flat early (within the first quarter of
    the run) at a level that is still high, and stayed flat to the end. It says why when the log
    shows it: the learning rate collapsed (when it is logged), the learning rate was too high (the
    loss spiked before the plateau), or the loss sits just above log(1 + (k-1)/e), the lowest
    value CrossEntropyLoss can reach when the model already ends in Softmax.

    ## Why is this bad?
    The model stops improving long before it should. A scheduler stepped every batch instead of
    every epoch divides the learning rate by 10 every few batches; a Softmax before
    CrossEntropyLoss (which applies log-softmax itself) squeezes the logits into [0, 1] so the
    loss cannot go below the floor and gradients vanish; a too-high learning rate throws the
    weights to a region where the network only predicts the class prior.

    ## Example
    10 classes; training loss 2.11 -> 1.59 by epoch 6, then 1.56 to epoch 39; the floor for
    Softmax outputs is log(1 + 9/e) = 1.46.

    ## Thresholds
    Plateau: the 5-epoch rolling median stays within `band` = 5% of the final level (median of
    the last 3) from a point within the first `max_start_frac` = 25% of the run to the end, and the
    first point is >= (1 + `min_drop`) x the level, `min_drop` = 0.2. High: level >=
    `min_level_lnk` = 0.2 x ln k (k known) or >= `min_level` = 0.3. Learning rate collapsed: it is
    <= 1/100 of its maximum or < 1e-7 by 2 points after the plateau starts. Softmax floor matched:
    floor <= level <= floor + 0.25 x (ln k - floor). Calibrated on the reference runs:
    sched_per_iter (plateau at 0.96 from epoch 1, lr 5e-5 -> 5e-8) and double_softmax (1.56 from
    epoch 6, floor 1.46) are reported; frozen's plateau starts at epoch 15 of 40 and is not.

    ## References
    PyTorch docs, `torch.nn.CrossEntropyLoss` ("input is expected to contain the unnormalized
    logits") and `torch.optim.lr_scheduler` ("scheduler.step() after the optimizer's update",
    once per epoch for epoch-based schedulers); the seed post, appended points 0, 7.1 and 8.
    """

    code = "LOG007"
    name = "stalled-early"
    severity = Severity.WARNING
    options = {"band": 0.05, "max_start_frac": 0.25, "min_drop": 0.2, "min_level_lnk": 0.2, "min_level": 0.3}

    VALID = [
        Example({"loss": [2.3, 1.2, 0.8, 0.5, 0.35, 0.25, 0.18, 0.12, 0.08, 0.06, 0.05, 0.04]}, num_classes=10),
        Example({"loss": [2.3, 0.05, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04, 0.04]}, num_classes=10,
                why="a plateau at a low loss is convergence"),
        Example({"loss": [2.3, 2.2, 2.0, 1.8, 1.6, 1.4, 1.2, 1.0, 0.82, 0.8, 0.8, 0.79]}, num_classes=10,
                why="the plateau starts late: slow training, not a stall"),
    ]
    INVALID = [
        Example({"loss": [1.39, 0.96, 0.97, 0.95, 0.96, 0.97, 0.96, 0.95, 0.96, 0.97, 0.96, 0.96],
                 "lr": [5e-5, 5e-8, 5e-11, 5e-14, 5e-17, 5e-20, 5e-23, 5e-26, 5e-29, 5e-32, 5e-35, 5e-38]},
                num_classes=10, why="lr collapsed (scheduler stepped per batch)"),
        Example({"loss": [2.11, 1.82, 1.71, 1.59, 1.57, 1.565, 1.56, 1.56, 1.56, 1.559, 1.56, 1.56]},
                num_classes=10, why="Softmax fed to CrossEntropyLoss: floor 1.46"),
    ]

    def check(self, run) -> Iterator[Hit]:
        opts = self.opts
        loss = finite(run.series("train", "loss"))
        n = len(loss)
        if n < 8 or len(loss) < len(run.series("train", "loss")):
            return
        level = float(loss.iloc[-3:].median())
        k = run.num_classes
        min_level = opts["min_level_lnk"] * math.log(k) if k else opts["min_level"]
        if level < min_level:
            return
        smoothed = smooth(loss, 5).to_numpy()
        inside = np.abs(smoothed - level) <= opts["band"] * level
        if not inside[-1]:
            return
        outside = np.flatnonzero(~inside)
        start = int(outside[-1] + 1) if len(outside) else 0
        if start > opts["max_start_frac"] * n:
            return
        if float(loss.iloc[0]) < (1 + opts["min_drop"]) * level:
            return
        plateau_start = loss.index[start]
        causes = []
        evidence = {"plateau_from": plateau_start, "plateau_level": level, "start_loss": float(loss.iloc[0]),
                    "plateau_points": n - start}
        rate = finite(run.series("train", "lr"))
        if len(rate) >= 2:
            probe = rate[rate.index <= loss.index[min(start + 2, n - 1)]]
            rate_max, rate_then = float(rate.max()), float(probe.iloc[-1]) if len(probe) else float(rate.iloc[0])
            evidence.update({"lr_max": rate_max, "lr_at_plateau": rate_then, "lr_end": float(rate.iloc[-1])})
            if rate_then <= rate_max / 100 or rate_then < 1e-7:
                causes.append(f"the learning rate collapsed from {rate_max:.3g} to {rate_then:.3g} by "
                              f"{where(run, probe.index[-1] if len(probe) else rate.index[0])} (and "
                              f"{rate.iloc[-1]:.3g} at the end): a scheduler stepped every batch instead of every "
                              "epoch, or a decay too fast")
        early = loss.iloc[: max(start, 1)]
        if float(early.max()) >= 10 * level:
            causes.append(f"the loss spiked to {num(early.max())} at {where(run, early.idxmax())} before the "
                          "plateau: the learning rate was probably too high (or inputs unnormalized), leaving "
                          "a model that predicts the class prior")
        if k:
            floor = softmax_floor(k)
            evidence.update({"softmax_floor": floor, "ln_k": math.log(k)})
            if floor <= level <= floor + 0.25 * (math.log(k) - floor):
                causes.append(f"the plateau {level:.3f} sits just above {floor:.3f} = log(1 + (k-1)/e) for "
                              f"k = {k}, the lowest loss CrossEntropyLoss can reach when the model's outputs "
                              "are squashed into (0, 1) first (a final Softmax or Sigmoid): remove that last "
                              "activation (CrossEntropyLoss takes raw logits)")
        message = (f"training loss dropped from {num(loss.iloc[0])} and stalled around {num(level)} from "
                   f"{where(run, plateau_start)} to the end ({n - start} of {n} {run.unit}s; {num(loss.iloc[-1])} at the last)")
        message += ("; " + "; ".join(causes)) if causes else (
            "; look at: the learning-rate schedule (log it), frozen layers, the output activation before the loss")
        yield Hit(message, "train", "loss", float(plateau_start), evidence)
