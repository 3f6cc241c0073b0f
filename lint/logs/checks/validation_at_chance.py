"""LOG002 validation-at-chance."""

from __future__ import annotations

from typing import Iterator

from fitlint.logs.checks.base import (Example, Hit, LogCheck, align, chance_limit, classes_text, final_run_start,
                                pct, tail_median, where)


class ValidationAtChance(LogCheck):
    """Validation accuracy at or below chance while training accuracy rises.

    ## What it does
    Reports a run whose held-out accuracy (median of the last third of the epochs) is at or below
    chance for its number of classes k, while training accuracy is well above it. k comes from
    `--num-classes`, from the run's metadata (`meta.json`, `config.json` `id2label`,
    `hparams.yaml`, an MLflow `num_classes` param), or is inferred when the first epoch's loss is
    near ln k and its accuracy near 1/k; with k unknown the check stays silent.

    ## Why is this bad?
    The model learned something that does not transfer at all: the seed's case (97% training,
    50% validation on a binary task). The usual causes are in the data pipeline, not the model: the
    data were not shuffled before the split (label-sorted data put classes in validation the model
    never saw), data and labels were misaligned (labels shuffled or filtered separately), or the
    validation data are preprocessed differently (no normalization at test time).

    ## Example
    10 classes; training accuracy 100%, validation 1.7% from epoch 0 to 39.

    ## Thresholds
    At chance: held-out accuracy <= 1/k + `margin` x (1 - 1/k), `margin` = 0.15 (57.5% for 2
    classes, 23.5% for 10). Training must reach that limit + `min_train_lead` = 0.20. Calibrated on
    the reference runs: random_labels_binary's validation ends at 54.9%, unshuffled_split's at 1.7%;
    the lowest healthy validation accuracy is 80.8% (missing_eval) and the binary
    no_normalization_bc run, whose training accuracy never rises, is not reported.

    ## References
    The seed post, points 2, 5, 6 and 11, and its appended list: 3 (no shuffle before the split),
    4 (data and labels not aligned), 2 (no normalization).
    """

    code = "LOG002"
    name = "validation-at-chance"
    severity = "error"
    options = {"margin": 0.15, "min_train_lead": 0.20}

    VALID = [
        Example({"accuracy": [0.5, 0.7, 0.9, 0.97, 0.97, 0.98], "val_accuracy": [0.5, 0.68, 0.85, 0.9, 0.9, 0.91]},
                num_classes=2),
        Example({"accuracy": [0.5, 0.5, 0.52, 0.5, 0.51, 0.5], "val_accuracy": [0.5, 0.49, 0.5, 0.5, 0.51, 0.5]},
                num_classes=2, why="training at chance too: not-learning, not this"),
        Example({"accuracy": [0.5, 0.7, 0.9, 0.97, 0.97, 0.98], "val_accuracy": [0.5, 0.5, 0.5, 0.51, 0.5, 0.5]},
                why="number of classes unknown and not inferable: silence"),
    ]
    INVALID = [
        Example({"accuracy": [0.55, 0.7, 0.85, 0.95, 0.97, 0.97], "val_accuracy": [0.5, 0.52, 0.5, 0.49, 0.51, 0.5]},
                num_classes=2),
        Example({"loss": [2.3, 1.0, 0.4, 0.1, 0.05, 0.02], "accuracy": [0.1, 0.7, 0.9, 0.98, 0.99, 1.0],
                 "val_accuracy": [0.1, 0.02, 0.02, 0.02, 0.02, 0.02]},
                why="k = 10 inferred from loss ln 10 and accuracy 1/10 at epoch 0"),
    ]

    def check(self, run) -> Iterator[Hit]:
        held, k = run.heldout, run.num_classes
        if held is None or not k:
            return
        tr, va = align(run.series("train", "accuracy"), run.series(held, "accuracy"))
        if len(va) < 3:
            return
        limit = chance_limit(k, self.opts["margin"])
        va_end, tr_end = tail_median(va), tail_median(tr)
        if not (va_end <= limit and tr_end >= limit + self.opts["min_train_lead"]):
            return
        start = final_run_start((va <= limit).to_numpy())
        since = va.index[start] if start is not None else va.index[-1]
        evidence = {"num_classes": k, "num_classes_from": run.num_classes_source, "chance": 1 / k,
                    "at_chance_limit": limit, f"{held}_accuracy_end": va_end, "train_accuracy_end": tr_end,
                    f"{held}_accuracy_max": float(va.max())}
        message = (f"{held} accuracy {pct(va_end)} is at or below chance ({pct(1 / k)}; {classes_text(run)}) "
                   f"since {where(run, since)}, while training accuracy reached {pct(tr_end)}; look at: "
                   f"whether the data were shuffled before the split (sorted data put unseen classes in {held}), "
                   "whether data and labels stay aligned (labels shuffled or filtered separately), "
                   f"whether the {held} data are normalized like the training data")
        yield Hit(message, held, "accuracy", float(since), evidence)
