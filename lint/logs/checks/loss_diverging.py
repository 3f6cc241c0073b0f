"""LOG005 loss-diverging."""

from __future__ import annotations

import math
from typing import Iterator

import numpy as np

from fitlint.findings import Severity
from fitlint.logs.checks.base import Example, Hit, LogCheck, chance_limit, final_run_start, finite, num, ratio, where
from fitlint.logs.run import MAX_CLASSES


class LossDiverging(LogCheck):
    """Training loss grows far above its minimum, or far above a uniform guess, and stays there.

    ## What it does
    Reports a run whose training loss, after reaching its minimum, ends (median of its last finite
    points) several times above that minimum, with every one of the last 3 finite points at least
    twice the minimum: optimization blew up rather than hit a bump. Also a loss that explodes by
    orders of magnitude on several points after its minimum, even if it settles again (a model
    thrown back to predicting the class prior) and never becomes NaN. With k known, also a loss
    that ends far above ln k, the loss of a uniform guess (a learning rate so high the first steps
    threw the weights far away, and they never came back), and a loss that spiked far above ln k
    and then settled at ln k with accuracy at chance (a schedule that brings the learning rate down
    after the damage is done).

    ## Why is this bad?
    Gradient descent is moving away from a solution: the step is too large (learning rate,
    missing warm-up), gradients accumulate (no `zero_grad`), or the inputs are unnormalized. It
    usually ends in NaN (LOG004); until then it silently ruins the run. A flat loss far above ln k
    is not a model that learns too slowly (LOG006): a smaller learning rate is the cure, not a
    larger one. A rising *validation* loss with a falling training loss is overfitting (LOG003),
    not this.

    ## Example
    Training loss 5.96 at epoch 0, then 37.6, 1,582, 144,687, ... 942 at epoch 14. Or, 10 classes
    and SGD at a learning rate of 50: 1,520 at epoch 0, then 14 to 18 (6-8x ln 10) to the end with
    accuracy at 10%.

    ## Thresholds
    End level >= `factor` = 3 x the minimum and >= minimum + `min_abs` = 0.5; the end level is the
    median of the last `tail_frac` = 20% of finite points (at least 3); at least 4 finite points.
    Or: at least `explode_points` = 3 points after the minimum at >= `explode_factor` = 1000 x it
    (a gradient explosion: one spike is not a trend, three at a thousandfold are). Or, k known: the
    end level >= `lnk_factor` = 3 x ln k; or a peak >= `spike_lnk_factor` = 10 x ln k followed by
    an end level within 25% of ln k, with the accuracy (training, else held-out) at chance on its
    last 3 points (<= 1/k + 0.10 x (1 - 1/k)). With k unknown: the median of the last third >= ln
    100000 = 11.5 (and none of it below half that) with accuracy <= 57.5% (chance for 2 classes, the
    highest chance of any k) on its last 3 points. Calibrated on the reference runs:
    no_normalization_bc's spike (1,256 at epoch 0, then 0.66 = 0.95 ln 2) has training accuracy
    63.7% and validation 58.8%, above chance for 2 classes (55%), and is not reported;
    no_zero_grad's loss ends 100x its minimum.

    ## References
    Goodfellow et al., *Deep Learning*, 8.2 (ill-conditioning, cliffs and exploding gradients);
    the seed post, point 7.
    """

    code = "LOG005"
    name = "loss-diverging"
    severity = Severity.ERROR
    options = {"factor": 3.0, "min_abs": 0.5, "tail_frac": 0.2, "explode_factor": 1000.0, "explode_points": 3,
               "lnk_factor": 3.0, "spike_lnk_factor": 10.0}

    VALID = [
        Example({"loss": [2.3, 1.0, 0.6, 5.0, 0.5, 0.45, 0.44, 0.43]}, why="a single spike"),
        Example({"loss": [2.3, 1.0, 0.6, 0.5, 0.45, 0.44, 0.43, 0.42]}),
        Example({"loss": [1.2, 0.9, 900.0, 0.8, 0.7, 0.6, 0.6, 0.55]}, why="one explosion, then back on track"),
        Example({"loss": [1256.0, 4.8, 0.71, 0.69, 0.66, 0.66, 0.66, 0.66],
                 "accuracy": [0.55, 0.53, 0.62, 0.637, 0.637, 0.637, 0.637, 0.637]}, num_classes=2,
                why="spike then a plateau at ln 2, but accuracy above chance (the majority class)"),
        Example({"loss": [2.3, 2.2, 2.1, 2.0, 1.9, 1.8, 1.7, 1.6]}, num_classes=10,
                why="slow learning below ln k"),
    ]
    INVALID = [
        Example({"loss": [6.0, 37.6, 1582.0, 900.0, 1200.0, 950.0, 1000.0, 942.0]}),
        Example({"loss": [1.0, 0.5, 0.4, 0.8, 1.6, 3.0, 5.0, 6.0]}),
        Example({"loss": [1.16, 19.9, 2352.0, 4.1e5, 2.3, 8.8e6, 1.2e10, 2.4, 2.6, 2.5]},
                why="explodes without NaN, then settles at chance level (no_zero_grad on close clusters)"),
        Example({"loss": [1520.0, 18.4, 16.1, 17.9, 15.2, 18.3, 16.6, 18.39],
                 "accuracy": [0.1, 0.09, 0.11, 0.1, 0.1, 0.1, 0.09, 0.1]}, num_classes=10,
                why="learning rate 50: stays 7x ln k with accuracy at chance (was reported as not-learning)"),
        Example({"loss": [16361.8, 29.8, 19.1, 17.0, 18.1, 14.6, 14.2, 14.4, 16.7, 18.3, 16.3, 14.1, 15.0, 14.9],
                 "accuracy": [0.10, 0.10, 0.102, 0.105, 0.108, 0.103, 0.084, 0.09, 0.093, 0.11, 0.094, 0.099, 0.088,
                              0.11]},
                why="k unknown (SGD at 50 on digits, SummaryWriter): the loss stays above ln 100000"),
        Example({"loss": [310.0, 4.1, 2.5, 2.35, 2.31, 2.30, 2.30, 2.30],
                 "val_accuracy": [0.1, 0.1, 0.11, 0.1, 0.1, 0.1, 0.1, 0.1]}, num_classes=10,
                why="Hugging Face: spiked, then a linear schedule brought the loss down to ln k, accuracy at chance"),
    ]

    def check(self, run) -> Iterator[Hit]:
        loss = finite(run.series("train", "loss"))
        if len(loss) < 4:
            return
        hit = self._from_minimum(run, loss) or self._far_above_guess(run, loss)
        if hit is not None:
            yield hit

    def _from_minimum(self, run, loss) -> Hit | None:
        """An explosion or a divergence after the loss's minimum."""
        opts = self.opts
        lowest_at = int(np.argmin(loss.to_numpy()))
        low, low_x = float(loss.iloc[lowest_at]), loss.index[lowest_at]
        after = loss.iloc[lowest_at + 1:]
        if len(after) < 3 or low < 0:
            return None
        end = float(after.iloc[-max(3, int(np.ceil(len(loss) * opts["tail_frac"]))):].median())
        exploded = (after >= opts["explode_factor"] * low).to_numpy() if low > 0 else np.zeros(len(after), bool)
        if exploded.sum() >= opts["explode_points"]:
            x = after.index[int(np.argmax(exploded))]
            peak = float(after.max())
            evidence = {"min_loss": low, "min_at": low_x, "end_loss": end, "max_loss": peak,
                        "exploded_points": int(exploded.sum())}
            message = (f"training loss exploded: minimum {num(low)} at {where(run, low_x)}, then at least "
                       f"{opts['explode_factor']:g}x that on {int(exploded.sum())} of {len(after)} points from "
                       f"{where(run, x)} (peak {num(peak)}), {num(loss.iloc[-1])} at {where(run, loss.index[-1])}; look at: "
                       "optimizer.zero_grad() every step, the learning rate and warm-up, gradient clipping, input "
                       "normalization")
            return Hit(message, "train", "loss", float(x), evidence)
        if not (end >= opts["factor"] * low and end >= low + opts["min_abs"]):
            return None
        if not np.all(after.iloc[-3:].to_numpy() >= 2 * low):
            return None
        above = (after >= opts["factor"] * low).to_numpy()
        x = after.index[int(np.argmax(above))] if above.any() else after.index[0]
        evidence = {"min_loss": low, "min_at": low_x, "end_loss": end, "max_loss": float(loss.max()),
                    "ratio": ratio(end, low)}
        message = (f"training loss diverged: minimum {num(low)} at {where(run, low_x)}, above {opts['factor']:g}x "
                   f"that from {where(run, x)} and {num(loss.iloc[-1])} at {where(run, loss.index[-1])}; look at: the learning "
                   "rate and warm-up, "
                   "optimizer.zero_grad() every step, gradient clipping, input normalization")
        return Hit(message, "train", "loss", float(x), evidence)

    def _far_above_guess(self, run, loss) -> Hit | None:
        """With k known: a loss that ends far above ln k, or spiked far above it and came back to
        it with accuracy at chance."""
        opts = self.opts
        k = run.num_classes
        if not k:
            return self._far_above_any_guess(run, loss)
        uniform = math.log(k)
        end = float(loss.iloc[-3:].median())
        peak_at = loss.index[int(np.argmax(loss.to_numpy()))]
        peak = float(loss.max())
        at_chance = self._accuracy_at_chance(run, k)
        evidence = {"num_classes": k, "ln_k": uniform, "end_loss": end, "max_loss": peak,
                    "accuracy_at_chance": at_chance}
        if end >= opts["lnk_factor"] * uniform and at_chance is not False:
            x = loss.index[final_run_start((loss >= opts["lnk_factor"] * uniform).to_numpy()) or 0]
            message = (f"training loss stays far above the loss of a uniform guess: {num(loss.iloc[-1])} at "
                       f"{where(run, loss.index[-1])}, {end / uniform:.1f}x ln {k} = {uniform:.3f}, from {where(run, x)} to the end "
                       f"(peak {num(peak)} at {where(run, peak_at)})"
                       + (", with accuracy at chance" if at_chance else ""))
        elif peak >= opts["spike_lnk_factor"] * uniform and abs(end - uniform) <= 0.25 * uniform and at_chance:
            x = peak_at
            message = (f"training loss spiked to {num(peak)} at {where(run, x)} ({peak / uniform:.0f}x ln {k}) and "
                       f"settled at {num(loss.iloc[-1])}, near ln {k} = {uniform:.3f}, the loss of a uniform guess, "
                       "with accuracy at chance: the weights were thrown far off early and the model predicts the "
                       "class prior")
        else:
            return None
        message += ("; the training diverged: lower the learning rate (and warm it up), clip gradients, check "
                    "input normalization")
        return Hit(message, "train", "loss", float(x), evidence)

    def _far_above_any_guess(self, run, loss) -> Hit | None:
        """With k unknown: a classifier (it logs an accuracy, at most chance for 2 classes) whose
        loss stays above ln 100000, the loss of a uniform guess over any plausible number of classes."""
        last_third = loss.iloc[-max(3, len(loss) // 3):]
        level = float(last_third.median())
        ceiling = math.log(MAX_CLASSES)
        if level < ceiling or float(last_third.min()) < 0.5 * ceiling or not self._accuracy_at_chance(run, 2, 0.15):
            return None
        x = last_third.index[0]
        message = (f"training loss stays at {num(loss.iloc[-1])} at {where(run, loss.index[-1])} (median {num(level)} from "
                   f"{where(run, x)}), above ln {MAX_CLASSES:,} = {ceiling:.1f}, the loss of a uniform guess over any "
                   f"number of classes up to {MAX_CLASSES:,}, with accuracy at chance (peak {num(float(loss.max()))} at "
                   f"{where(run, loss.index[int(np.argmax(loss.to_numpy()))])}); the training diverged: lower the "
                   "learning rate (and warm it up), clip gradients, check input normalization")
        evidence = {"end_loss": level, "max_loss": float(loss.max()), "uniform_guess_ceiling": ceiling}
        return Hit(message, "train", "loss", float(x), evidence)

    @staticmethod
    def _accuracy_at_chance(run, k: int, margin: float = 0.10) -> bool | None:
        """Whether the training accuracy (else the held-out one) is at chance on its last 3
        points; None when no accuracy is logged."""
        for split in ("train", run.heldout):
            accuracy = finite(run.series(split, "accuracy")) if split else None
            if accuracy is not None and len(accuracy):
                return bool(np.all(accuracy.iloc[-3:].to_numpy() <= chance_limit(k, margin)))
        return None
