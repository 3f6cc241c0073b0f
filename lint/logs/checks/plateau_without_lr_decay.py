"""LOG011 plateau-without-lr-decay."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, finite, num, where


class PlateauWithoutLrDecay(LogCheck):
    """A long plateau at a constant learning rate.

    ## What it does
    Needs the learning rate in the log. Reports the longest stretch over which the learning rate
    did not change and the training loss stopped improving (its best value improved by less than
    1% over the stretch), when the loss is not yet low.

    ## Why is this bad?
    The step size is too large to go further down: the loss bounces around a level. (A learning
    rate of exactly 0 is said as such: no scheduler helps a rate of 0.) Lowering the
    learning rate when the loss stops falling (ReduceLROnPlateau, a step or cosine schedule)
    usually lets it drop again; the seed post's author solved the problem that way (point 12).

    ## Example
    Learning rate 0.01 for 30 epochs; training loss at 0.52 from epoch 8 to 29.

    ## Thresholds
    Stretch >= `min_len` = 8 points and >= `min_len_frac` = 20% of the run; improvement of the best
    value < `min_improve` = 1%; loss level >= `min_level_frac` = 0.1 x its first value (not
    converged); learning rate constant within 1e-12 relative and never lower before (a schedule
    that already decays it is not this check). Yields to LOG004-LOG007, which name
    a root cause. Calibrated on the reference runs: none of the clean runs has a constant-rate
    stretch without improvement; frozen's stall at 1e-5 comes after StepLR decays and is not reported.

    ## References
    PyTorch `torch.optim.lr_scheduler.ReduceLROnPlateau`; Keras `ReduceLROnPlateau`; the seed post,
    point 12.
    """

    code = "LOG011"
    name = "plateau-without-lr-decay"
    severity = Severity.INFO
    options = {"min_len": 8, "min_len_frac": 0.2, "min_improve": 0.01, "min_level_frac": 0.1}
    yields_to = ("LOG004", "LOG005", "LOG006", "LOG007")

    VALID = [
        Example({"loss": [1.0, 0.8, 0.6, 0.5, 0.52, 0.51, 0.5, 0.52, 0.51, 0.5, 0.51, 0.52, 0.5, 0.51],
                 "lr": [0.01, 0.01, 0.01, 0.01, 0.001, 0.001, 0.001, 0.001, 0.0001, 0.0001, 0.0001, 0.0001, 1e-5, 1e-5]},
                why="the learning rate is being decayed"),
        Example({"loss": [1.0, 0.8, 0.6, 0.5, 0.52, 0.51, 0.5, 0.52, 0.51, 0.5, 0.51, 0.52, 0.5, 0.51]},
                why="learning rate not logged: silence"),
    ]
    INVALID = [
        Example({"loss": [1.0, 0.8, 0.6, 0.55, 0.52, 0.53, 0.52, 0.54, 0.52, 0.53, 0.525, 0.53, 0.52, 0.53],
                 "lr": [0.01] * 14}),
        Example({"loss": [0.9, 0.91, 0.9, 0.9, 0.905, 0.9, 0.9, 0.91, 0.9, 0.9], "lr": [0.0] * 10},
                why="learning rate exactly 0: the message says so instead of advising a scheduler"),
    ]

    def check(self, run) -> Iterator[Hit]:
        opts = self.opts
        loss, rate = finite(run.series("train", "loss")), finite(run.series("train", "lr"))
        if len(loss) < opts["min_len"] or len(rate) < opts["min_len"]:
            return
        rate = rate.reindex(loss.index, method="ffill") if not rate.index.equals(loss.index) else rate
        rates, losses = rate.to_numpy(dtype="float64"), loss.to_numpy(dtype="float64")
        needed = max(opts["min_len"], opts["min_len_frac"] * len(losses))
        # stretches of a constant rate; a rate below an earlier one means a schedule is already
        # decaying it: not this check
        same = np.isfinite(rates[1:]) & np.isclose(rates[1:], rates[:-1], rtol=1e-12, atol=0.0)
        starts = np.flatnonzero(np.concatenate([[True], ~same]))
        stops = np.concatenate([starts[1:], [len(losses)]])
        highest_before = np.fmax.accumulate(np.where(np.isfinite(rates), rates, -np.inf))
        best = None
        for first, stop in zip(starts, stops):
            if stop - first < needed or (first > 0 and highest_before[first - 1] * (1 - 1e-12) > rates[first]):
                continue
            segment = losses[first:stop]
            # the first point after which the best value improves by less than min_improve
            best_before = np.minimum.accumulate(segment)
            best_after = np.minimum.accumulate(segment[::-1])[::-1]
            stalled = np.flatnonzero(best_after >= best_before * (1 - opts["min_improve"]))
            if len(stalled):
                offset = int(stalled[0])
                if best is None or len(segment) - offset > best[1]:
                    best = (first + offset, len(segment) - offset, float(np.median(segment[offset:])),
                            float(rates[first]))
        if best is None:
            return
        start, length, level, constant = best
        if length < needed or level < opts["min_level_frac"] * losses[0]:
            return
        x = loss.index[start]
        message = (f"training loss has not improved by {100 * opts['min_improve']:.0f}% for {length} {run.unit}s from "
                   f"{where(run, x)} (around {num(level)}) at a constant learning rate {constant:.3g}")
        if constant == 0:
            message += ("; the learning rate is 0: the optimizer never changes the weights; set a positive learning "
                        "rate (a warm-up or schedule that starts at 0 must raise it)")
        else:
            message += (": a scheduler that lowers it when the loss stops falling (ReduceLROnPlateau, a step or "
                        "cosine decay) would likely help")
        yield Hit(message, "train", "loss", float(x), {"from": x, "points": length, "level": level, "lr": constant})
