"""LOG006 not-learning."""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import (Example, Hit, LogCheck, change_text, chance_limit, classes_text, finite, head_median,
                                      num, pct, ratio, tail_median)


class NotLearning(LogCheck):
    """Training loss flat from the start and training accuracy at chance.

    ## What it does
    Reports a run whose training loss barely moves between its first and last epochs (medians of
    3) while training accuracy stays at chance for k classes (or, with k unknown, does not improve),
    or while the logged learning rate is exactly 0. A flat loss far above ln k (the loss of a uniform
    guess) is not this: that model was thrown off by too large a step (LOG005).

    ## Why is this bad?
    Nothing is being learned: the learning rate is far too small (or 0), the parameters given to
    the optimizer are not the model's (or are frozen), `optimizer.step()` is never called, or the
    loss is cut off from the model (`.detach()`, `.item()`, a new tensor) before `backward()`.

    ## Example
    10 classes; training loss 2.314 -> 2.313 over 40 epochs (ln 10 = 2.303), accuracy ~10%.

    ## Thresholds
    Relative loss change (first - last) / first < `max_loss_change` = 0.05; training accuracy
    at the end <= chance + `margin` x (1 - chance), `margin` = 0.15, or, with k unknown, improved
    by less than `min_acc_gain` = 0.02 and at most chance for 2 classes (57.5%, the highest chance
    level of any k: sched_per_iter's flat 83% without its meta.json is a stall, not this). With k known, the loss must stay below `max_lnk_ratio` = 1.5
    x ln k. At least 5 finite points; skipped when the loss has NaN (LOG004). Calibrated on the
    reference runs: lr_low's change is 0.04%; the slowest healthy run (frozen) drops 64%.

    ## References
    Karpathy, "A Recipe for Training Neural Networks" (2019): overfit one batch first; the seed
    post, point 1 and appended point 10 (parameters set not trainable).
    """

    code = "LOG006"
    name = "not-learning"
    severity = Severity.ERROR
    options = {"max_loss_change": 0.05, "margin": 0.15, "min_acc_gain": 0.02, "max_lnk_ratio": 1.5}
    yields_to = ("LOG005",)

    VALID = [
        Example({"loss": [2.3, 1.5, 1.0, 0.7, 0.5, 0.4], "accuracy": [0.1, 0.5, 0.7, 0.8, 0.85, 0.88]}, num_classes=10),
        Example({"loss": [0.3, 0.29, 0.3, 0.29, 0.29, 0.29], "accuracy": [0.9, 0.91, 0.9, 0.91, 0.9, 0.91]},
                num_classes=10, why="flat because already trained (fine-tuning), accuracy far above chance"),
        Example({"loss": [18.4, 16.1, 17.9, 15.2, 18.3, 16.6, 18.39], "accuracy": [0.1, 0.09, 0.11, 0.1, 0.1, 0.09, 0.1]},
                num_classes=10, why="flat at 8x ln k: diverged (LOG005), not too slow"),
    ]
    INVALID = [
        Example({"loss": [2.314, 2.312, 2.315, 2.316, 2.313, 2.313], "accuracy": [0.10, 0.11, 0.10, 0.096, 0.105, 0.10]},
                num_classes=10),
        Example({"loss": [0.693, 0.693, 0.694, 0.692, 0.693, 0.693], "accuracy": [0.5, 0.51, 0.49, 0.5, 0.5, 0.5]},
                why="k unknown: accuracy does not improve"),
        Example({"loss": [0.52, 0.521, 0.519, 0.52, 0.52, 0.521], "lr": [0.0] * 6},
                why="learning rate exactly 0, k unknown and no accuracy logged"),
    ]

    def check(self, run) -> Iterator[Hit]:
        opts = self.opts
        loss = run.series("train", "loss")
        values = loss.to_numpy(dtype="float64")
        if len(loss) < 5 or not np.all(np.isfinite(values)):
            return
        first, last = head_median(loss), tail_median(loss, frac=0, at_least=3)
        change = ratio(first - last, first)
        if first <= 0 or change is None or change >= opts["max_loss_change"]:
            return
        k = run.num_classes
        if k and last >= opts["max_lnk_ratio"] * math.log(k):
            return  # far above a uniform guess: diverged (LOG005)
        rate_zero = self._rate_is_zero(run)
        train_acc = run.series("train", "accuracy")
        evidence = {"loss_start": first, "loss_end": last, "relative_change": change, "learning_rate_zero": rate_zero}
        if not train_acc.empty:
            evidence.update({"accuracy_start": head_median(train_acc), "accuracy_end": tail_median(train_acc)})
            if k:
                evidence.update({"num_classes": k, "chance": 1 / k})
                if evidence["accuracy_end"] > chance_limit(k, opts["margin"]) and not rate_zero:
                    return
            elif not rate_zero and (evidence["accuracy_end"] - evidence["accuracy_start"] >= opts["min_acc_gain"]
                                    or evidence["accuracy_end"] > chance_limit(2, opts["margin"])):
                return  # k unknown: above chance for 2 classes is above chance for any k
        elif not rate_zero and (not k or abs(last - math.log(k)) > 0.15 * math.log(k)):
            return  # a flat loss alone could be a trained model; only ln k (or a zero rate) says it is not
        message = (f"training loss stayed at {num(loss.iloc[-1])} (from {num(loss.iloc[0])}, "
                   f"{change_text(float(loss.iloc[0]), float(loss.iloc[-1]))} after {len(loss)} {run.unit}s)")
        if not train_acc.empty:
            message += f" and training accuracy at {pct(train_acc.iloc[-1])}"
            if k:
                message += f", chance level ({pct(1 / k)}; {classes_text(run)})"
        if k:
            message += f"; ln {k} = {math.log(k):.3f} is the loss of a uniform guess"
        if rate_zero:
            message += ("; the learning rate is 0: the optimizer never changes the weights; set a positive learning "
                        "rate (a warm-up or schedule that starts at 0 must raise it)")
        else:
            message += ("; the model is not learning: look at the learning rate (too small?), which parameters "
                        "the optimizer gets (frozen? requires_grad?), optimizer.step() being called, and the loss "
                        "staying connected to the model output (no .detach()/.item() before backward())")
        yield Hit(message, "train", "loss", float(loss.index[0]), evidence)

    @staticmethod
    def _rate_is_zero(run) -> bool:
        rate = finite(run.series("train", "lr"))
        return bool(len(rate)) and bool(np.all(rate.to_numpy() == 0))
