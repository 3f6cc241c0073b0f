"""LOG004 non-finite-loss."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, num, where

WATCHED = ("loss", "grad_norm")
SPLIT_ORDER = {"train": 0, "validation": 1, "test": 2}


class NonFiniteLoss(LogCheck):
    """NaN or inf in a loss (or in the gradient norm), with the first epoch or step.

    ## What it does
    Reports the first epoch (or step) at which any split's loss, or the logged gradient norm, is
    NaN or infinite, the last finite value before it, and every other split where it happened.

    ## Why is this bad?
    Once a loss is NaN the weights are NaN: every later epoch is wasted, and accuracy freezes at
    the share of whatever class a NaN output maps to. Usual causes: a learning rate far too high,
    gradients never zeroed (they pile up), log(0) or a division by zero in a hand-written loss,
    fp16 overflow without a gradient scaler, unnormalized inputs.

    ## Example
    Training loss 37,535.8 at epoch 0, NaN from epoch 1 to 39.

    ## Thresholds
    None: a single non-finite value is reported (it cannot heal). Hugging Face Trainer hides NaN
    losses by default (`logging_nan_inf_filter`); a NaN `grad_norm` is reported instead.

    ## References
    PyTorch `torch.autograd.detect_anomaly`; `torch.cuda.amp.GradScaler`; the seed post, point 7.
    """

    code = "LOG004"
    name = "non-finite-loss"
    severity = Severity.ERROR
    options: dict = {}

    VALID = [
        Example({"loss": [2.3, 1.2, 0.8, 0.5], "val_loss": [2.2, 1.3, 0.9, 0.7]}),
        Example({"loss": [2.3, 1.2, 0.8, 0.5], "val_accuracy": [0.1, 0.5, float("nan"), 0.7]},
                why="a NaN accuracy is not a NaN loss"),
        Example({"loss": [2.3, 1.2, None, 0.5]}, why="a missing (NA) cell is not a NaN"),
    ]
    INVALID = [
        Example({"loss": [37535.8, float("nan"), float("nan"), float("nan")], "val_loss": [7e4, float("nan"), float("nan"), float("nan")]}),
        Example({"loss": [2.3, 1.2, float("inf"), 0.9]}),
    ]

    def check(self, run) -> Iterator[Hit]:
        first = {}
        for split in sorted(run.frame["split"].unique()):
            for metric in WATCHED:
                series = run.series(split, metric)
                bad = ~np.isfinite(series.to_numpy(dtype="float64"))
                if bad.any():
                    i = int(np.flatnonzero(bad)[0])
                    before = series.iloc[:i]
                    first[(split, metric)] = (series.index[i], series.iloc[i],
                                              float(before.iloc[-1]) if i else None,
                                              int(bad.sum()), len(series))
        if not first:
            return
        (split, metric), (x, value, last_ok, count, total) = min(
            first.items(), key=lambda kv: (kv[1][0], SPLIT_ORDER.get(kv[0][0], 9), kv[0][1]))
        what = "NaN" if np.isnan(value) else ("inf" if value > 0 else "-inf")
        others = [f"{s} {m} from {where(run, v[0])}" for (s, m), v in first.items() if (s, m) != (split, metric)]
        message = f"{split} {metric.replace('_', ' ')} is {what} at {where(run, x)}"
        message += f" (last finite value {num(last_ok)})" if last_ok is not None else " (from the first point)"
        message += f", non-finite in {count} of {total} points"
        if others:
            message += "; also " + ", ".join(others)
        message += ("; look at: the learning rate (too high?), optimizer.zero_grad() every step, log(0) or "
                    "division by zero in the loss, fp16 without a GradScaler, unnormalized inputs")
        evidence = {"first_non_finite": x, "value": what, "last_finite": last_ok, "non_finite_points": count,
                    "points": total,
                    "per_series": {f"{s} {m}": v[0] for (s, m), v in first.items()}}
        yield Hit(message, split, metric, float(x), evidence)
