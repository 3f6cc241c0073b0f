"""LOG006 not-learning."""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from fitlint.logs.checks.base import Example, Hit, LogCheck, chance_limit, classes_text, head_median, pct, tail_median


class NotLearning(LogCheck):
    """Training loss flat from the start and training accuracy at chance.

    ## What it does
    Reports a run whose training loss barely moves between its first and last epochs (medians of
    3) while training accuracy stays at chance for k classes (or, with k unknown, does not improve).

    ## Why is this bad?
    Nothing is being learned: the learning rate is far too small, the parameters given to the
    optimizer are not the model's (or are frozen), `optimizer.step()` is never called, or the loss
    is cut off from the model (`.detach()`, `.item()`, a new tensor) before `backward()`.

    ## Example
    10 classes; training loss 2.314 -> 2.313 over 40 epochs (ln 10 = 2.303), accuracy ~10%.

    ## Thresholds
    Relative loss change (first - last) / first < `max_loss_change` = 0.05; training accuracy
    at the end <= chance + `margin` x (1 - chance), `margin` = 0.15, or, with k unknown, improved
    by less than `min_acc_gain` = 0.02. At least 5 finite points; skipped when the loss has NaN
    (LOG004). Calibrated on the reference runs: lr_low's change is 0.04%; the slowest healthy
    run (frozen) drops 64%.

    ## References
    Karpathy, "A Recipe for Training Neural Networks" (2019): overfit one batch first; the seed
    post, point 1 and appended point 10 (parameters set not trainable).
    """

    code = "LOG006"
    name = "not-learning"
    severity = "error"
    options = {"max_loss_change": 0.05, "margin": 0.15, "min_acc_gain": 0.02}

    VALID = [
        Example({"loss": [2.3, 1.5, 1.0, 0.7, 0.5, 0.4], "accuracy": [0.1, 0.5, 0.7, 0.8, 0.85, 0.88]}, num_classes=10),
        Example({"loss": [0.3, 0.29, 0.3, 0.29, 0.29, 0.29], "accuracy": [0.9, 0.91, 0.9, 0.91, 0.9, 0.91]},
                num_classes=10, why="flat because already trained (fine-tuning), accuracy far above chance"),
    ]
    INVALID = [
        Example({"loss": [2.314, 2.312, 2.315, 2.316, 2.313, 2.313], "accuracy": [0.10, 0.11, 0.10, 0.096, 0.105, 0.10]},
                num_classes=10),
        Example({"loss": [0.693, 0.693, 0.694, 0.692, 0.693, 0.693], "accuracy": [0.5, 0.51, 0.49, 0.5, 0.5, 0.5]},
                why="k unknown: accuracy does not improve"),
    ]

    def check(self, run) -> Iterator[Hit]:
        o = self.opts
        loss = run.series("train", "loss")
        if len(loss) < 5 or not np.all(np.isfinite(loss.to_numpy(dtype="float64"))):
            return
        first, last = head_median(loss), tail_median(loss, frac=0, at_least=3)
        if first <= 0 or (first - last) / first >= o["max_loss_change"]:
            return
        acc = run.series("train", "accuracy")
        k = run.num_classes
        evidence = {"loss_start": first, "loss_end": last, "relative_change": (first - last) / first}
        if not acc.empty:
            acc_first, acc_end = head_median(acc), tail_median(acc)
            evidence.update({"accuracy_start": acc_first, "accuracy_end": acc_end})
            if k:
                if acc_end > chance_limit(k, o["margin"]):
                    return
                evidence.update({"num_classes": k, "chance": 1 / k})
            elif acc_end - acc_first >= o["min_acc_gain"]:
                return
        elif not k or abs(last - math.log(k)) > 0.15 * math.log(k):
            return  # a flat loss alone could be a trained model; only ln k says it is not
        message = (f"training loss stayed at {last:.4g} (from {first:.4g}, "
                   f"{100 * (first - last) / first:.1f}% lower after {len(loss)} {run.unit}s)")
        if "accuracy_end" in evidence:
            message += f" and training accuracy at {pct(evidence['accuracy_end'])}"
            if k:
                message += f", chance level ({pct(1 / k)}; {classes_text(run)})"
        if k:
            message += f"; ln {k} = {math.log(k):.3f} is the loss of a uniform guess"
        message += ("; the model is not learning: look at the learning rate (too small?), which parameters "
                    "the optimizer gets (frozen? requires_grad?), optimizer.step() being called, and the loss "
                    "staying connected to the model output (no .detach()/.item() before backward())")
        yield Hit(message, "train", "loss", float(loss.index[0]), evidence)
