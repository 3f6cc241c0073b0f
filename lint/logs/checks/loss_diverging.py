"""LOG005 loss-diverging."""

from __future__ import annotations

from typing import Iterator

import numpy as np

from fitlint.logs.checks.base import Example, Hit, LogCheck, finite, where


class LossDiverging(LogCheck):
    """Training loss grows far above its minimum and stays there.

    ## What it does
    Reports a run whose training loss, after reaching its minimum, ends (median of its last finite
    points) several times above that minimum, with every one of the last 3 finite points at least
    twice the minimum: optimization blew up rather than hit a bump. Also a loss that explodes by
    orders of magnitude on several points after its minimum, even if it settles again (a model
    thrown back to predicting the class prior) and never becomes NaN.

    ## Why is this bad?
    Gradient descent is moving away from a solution: the step is too large (learning rate,
    missing warm-up), gradients accumulate (no `zero_grad`), or the inputs are unnormalized. It
    usually ends in NaN (LOG004); until then it silently ruins the run. A rising *validation*
    loss with a falling training loss is overfitting (LOG003), not this.

    ## Example
    Training loss 5.96 at epoch 0, then 37.6, 1,582, 144,687, ... 942 at epoch 14.

    ## Thresholds
    End level >= `factor` = 3 x the minimum and >= minimum + `min_abs` = 0.5; the end level is the
    median of the last `tail_frac` = 20% of finite points (at least 3); at least 4 finite points.
    Or: at least `explode_points` = 3 points after the minimum at >= `explode_factor` = 1000 x it
    (a gradient explosion: one spike is not a trend, three at a thousandfold are).
    Calibrated on the reference runs: no_normalization_bc's one-epoch spikes (3.9 at epoch 6) end
    back at 0.66 and are not reported; no_zero_grad's loss ends 100x its minimum.

    ## References
    Goodfellow et al., *Deep Learning*, 8.2 (ill-conditioning, cliffs and exploding gradients);
    the seed post, point 7.
    """

    code = "LOG005"
    name = "loss-diverging"
    severity = "error"
    options = {"factor": 3.0, "min_abs": 0.5, "tail_frac": 0.2, "explode_factor": 1000.0, "explode_points": 3}

    VALID = [
        Example({"loss": [2.3, 1.0, 0.6, 5.0, 0.5, 0.45, 0.44, 0.43]}, why="a single spike"),
        Example({"loss": [2.3, 1.0, 0.6, 0.5, 0.45, 0.44, 0.43, 0.42]}),
        Example({"loss": [1.2, 0.9, 900.0, 0.8, 0.7, 0.6, 0.6, 0.55]}, why="one explosion, then back on track"),
    ]
    INVALID = [
        Example({"loss": [6.0, 37.6, 1582.0, 900.0, 1200.0, 950.0, 1000.0, 942.0]}),
        Example({"loss": [1.0, 0.5, 0.4, 0.8, 1.6, 3.0, 5.0, 6.0]}),
        Example({"loss": [1.16, 19.9, 2352.0, 4.1e5, 2.3, 8.8e6, 1.2e10, 2.4, 2.6, 2.5]},
                why="explodes without NaN, then settles at chance level (no_zero_grad on close clusters)"),
    ]

    def check(self, run) -> Iterator[Hit]:
        o = self.opts
        loss = finite(run.series("train", "loss"))
        if len(loss) < 4:
            return
        i_min = int(np.argmin(loss.to_numpy()))
        low = float(loss.iloc[i_min])
        after = loss.iloc[i_min + 1:]
        n = max(3, int(np.ceil(len(loss) * o["tail_frac"])))
        if len(after) < 3:
            return
        end = float(after.iloc[-n:].median())
        exploded = (after >= o["explode_factor"] * low).to_numpy() if low > 0 else np.zeros(len(after), bool)
        if exploded.sum() >= o["explode_points"]:
            x = after.index[int(np.argmax(exploded))]
            peak = float(after.max())
            evidence = {"min_loss": low, "min_at": loss.index[i_min], "end_loss": end, "max_loss": peak,
                        "exploded_points": int(exploded.sum())}
            message = (f"training loss exploded: minimum {low:.4g} at {where(run, loss.index[i_min])}, then at "
                       f"least {o['explode_factor']:g}x that on {int(exploded.sum())} of {len(after)} points from "
                       f"{where(run, x)} (peak {peak:.4g}), ending at {end:.4g}; look at: optimizer.zero_grad() "
                       "every step, the learning rate and warm-up, gradient clipping, input normalization")
            yield Hit(message, "train", "loss", float(x), evidence)
            return
        if not (end >= o["factor"] * low and end >= low + o["min_abs"]):
            return
        if not np.all(after.iloc[-3:].to_numpy() >= 2 * low):
            return
        above = (after >= o["factor"] * low).to_numpy()
        x = after.index[int(np.argmax(above))] if above.any() else after.index[0]
        evidence = {"min_loss": low, "min_at": loss.index[i_min], "end_loss": end, "max_loss": float(loss.max()),
                    "ratio": end / low if low > 0 else None}
        message = (f"training loss diverged: minimum {low:.4g} at {where(run, loss.index[i_min])}, above "
                   f"{o['factor']:g}x that from {where(run, x)} and {end:.4g} at the end; look at: the learning "
                   "rate and warm-up, optimizer.zero_grad() every step, gradient clipping, input normalization")
        yield Hit(message, "train", "loss", float(x), evidence)
