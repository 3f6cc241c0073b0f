"""The table ``fitlint audit`` links with: which mistakes in a script can cause which symptom in its logs.

Pure data (standard library only): the CLI imports it at start, and docs/audit.md renders it with
``markdown_table()`` (a test keeps the page's copy identical). Each symptom is a log check (LOG
code) and lists the static rules (FIT codes) that can produce it, most likely first: the audit ranks
a symptom's causes in this order. Every explanation says *how* that mistake produces that curve, so
the report can state it next to the line. ``unseen`` names the causes a static pass cannot see (the
seed's list) that the report offers when no line of the script explains the symptom.

Only codes that exist are listed (a test checks both registries).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Cause:
    """One static rule that can produce a symptom, and how."""

    scan_code: str
    scan_name: str  # the rule's name, repeated so that rendering needs no rule import (a test compares)
    explanation: str


@dataclass(frozen=True)
class Symptom:
    """One log check and the static rules that can cause what it reports."""

    log_code: str
    log_name: str  # the check's name, repeated so that rendering needs no pandas (a test compares)
    causes: tuple[Cause, ...]
    unseen: tuple[str, ...]  # keys of UNSEEN_CAUSES, most likely first


@dataclass(frozen=True)
class UnseenCause:
    """A cause from the seed's list that no static pass can see, and what to check for it."""

    title: str
    seed_points: tuple[int, ...]  # the numbered points of the seed post it comes from
    check: str


UNSEEN_CAUSES: dict[str, UnseenCause] = {
    "too-little-data": UnseenCause(
        "too little data for the model's size", (4, 8, 9),
        "compare the number of training samples with the trainable parameters; train on 25%, 50% and "
        "100% of the data: if validation accuracy still climbs with more data, add data or augmentation, "
        "or regularize (weight decay, dropout, a smaller model)"),
    "noisy-labels": UnseenCause(
        "noisy or wrong labels", (3, 6),
        "look at 20 random training samples next to their labels; check that every shuffle, sort or "
        "filter applied the same permutation to samples and labels; a model that reaches 100% on "
        "training data and chance on validation has memorized labels that do not follow from the inputs"),
    "distribution-shift": UnseenCause(
        "training and validation data come from different distributions", (5,),
        "count the classes in each split; compare each feature's mean and standard deviation across the "
        "splits; check how and when the validation data were collected and preprocessed"),
    "weak-features": UnseenCause(
        "features weakly related to the labels", (2, 10),
        "fit a simple baseline (logistic regression, a small tree ensemble) on the same features: if it "
        "is also near chance, the inputs do not carry the label"),
    "learning-rate": UnseenCause(
        "learning rate too high, too low, or never decayed", (1, 7, 12),
        "log the learning rate actually used each epoch (optimizer.param_groups[0]['lr']); try a short "
        "learning-rate range test; decay it when the loss plateaus (ReduceLROnPlateau on the validation loss)"),
    "batch-size": UnseenCause(
        "batch size too small", (),  # the seed's closing remark on batch size, not a numbered point
        "a batch of a few samples gives noisy gradients and zig-zagging curves: try a larger batch or a "
        "lower learning rate"),
}


SYMPTOMS: tuple[Symptom, ...] = (
    Symptom("LOG002", "validation-at-chance", (
        Cause("FIT103", "labels-shuffled-separately",
              "samples and labels put in two different orders no longer match: the labels are noise for "
              "the inputs, a large enough model memorizes the training pairs while validation accuracy "
              "sits at chance (reference run random_labels_binary: 100% train, 54.9% validation)"),
        Cause("FIT102", "split-without-shuffle",
              "validation cut from the end of data stored in order holds only the classes stored last, "
              "which the model saw little or nothing of in training: validation accuracy sits at or "
              "below chance while training accuracy climbs (reference run unshuffled_split: 100% "
              "train, 1.7% validation)"),
        Cause("FIT201", "eval-without-eval-mode",
              "evaluated in training mode, dropout keeps dropping units and batch-norm normalizes each "
              "validation batch with its own statistics, so the measured accuracy is lower and noisier "
              "than the model's and can fall to chance on small or one-class batches"),
        Cause("FIT101", "train-loader-not-shuffled",
              "an unshuffled training loader on data sorted by class trains on one class at a time, so "
              "the model ends each epoch predicting the last class it saw"),
        Cause("FIT402", "augmentation-in-eval-transform",
              "the validation images go through the training augmentation (random crops, flips, color "
              "jitter): the model is measured on randomly distorted inputs unlike any it will be used "
              "on, and on small images heavy crops can leave little of the object to classify"),
    ), ("distribution-shift", "noisy-labels", "weak-features", "too-little-data")),
    Symptom("LOG001", "generalization-gap", (
        Cause("FIT201", "eval-without-eval-mode",
              "evaluated in training mode with dropout or batch-norm, validation accuracy is measured "
              "with units dropped and per-batch statistics, below what the model achieves (reference "
              "run missing_eval: 98.7% train, 80.8% validation)"),
        Cause("FIT203", "train-mode-not-restored",
              "the model stays in eval mode after the first evaluation, so the rest of training runs "
              "without dropout (and with frozen batch-norm statistics): the regularization is gone "
              "and the model overfits"),
        Cause("FIT103", "labels-shuffled-separately",
              "with labels that do not match their samples, the model can only memorize the training "
              "pairs: training accuracy reaches 100% and validation accuracy nothing like it (reference "
              "run random_labels_binary: a 45-point gap)"),
        Cause("FIT602", "no-regularization",
              "a model with no dropout, no weight decay and no augmentation is free to memorize the "
              "training set (the seed's point 9; reference run overfit_small: 100% train, 89.4% "
              "validation)"),
        Cause("FIT102", "split-without-shuffle",
              "a validation split cut from stored order follows a different class (or time) "
              "distribution from the training split, so the model is measured on data unlike what it "
              "learned from"),
        Cause("FIT402", "augmentation-in-eval-transform",
              "validation accuracy is measured on randomly augmented images, so it sits below what the "
              "model achieves on clean inputs, by a margin that changes from run to run"),
        Cause("FIT601", "model-selected-on-test-set",
              "the held-out curve here is the test split, which also picks the checkpoint: the gap it "
              "shows is measured on data the run was tuned on, and the gap on unseen data is at least "
              "as large (the reported test accuracy is the best of many looks)"),
    ), ("too-little-data", "noisy-labels", "distribution-shift")),
    Symptom("LOG003", "validation-loss-rising", (
        Cause("FIT103", "labels-shuffled-separately",
              "as the model memorizes labels that do not follow from the inputs, it grows confident on "
              "validation samples it gets wrong, so validation loss climbs while training loss falls "
              "(reference run random_labels_binary: 0.685 at epoch 4, 3.31 at the end)"),
        Cause("FIT602", "no-regularization",
              "with nothing holding it back, the model keeps fitting the training set after it stops "
              "generalizing: training loss falls while validation loss climbs"),
        Cause("FIT203", "train-mode-not-restored",
              "training continues in eval mode after the first evaluation, without dropout, so the "
              "model overfits: training loss keeps falling while validation loss climbs"),
    ), ("too-little-data", "noisy-labels")),
    Symptom("LOG004", "non-finite-loss", (
        Cause("FIT501", "missing-zero-grad",
              "without zero_grad every step adds the new gradient to all previous ones, so the step "
              "size grows each batch until the weights overflow to inf and the loss to NaN "
              "(reference run no_zero_grad)"),
        Cause("FIT505", "learning-rate-out-of-range",
              "a learning rate far above the optimizer's usual range overshoots on the first steps "
              "and the weights blow up to inf/NaN (reference run lr_high: SGD at lr 8)"),
        Cause("FIT401", "input-not-normalized",
              "raw inputs in the hundreds make the first layer's outputs and gradients hundreds of "
              "times larger than initialisation expects, enough to overflow at an ordinary rate"),
    ), ("learning-rate",)),
    Symptom("LOG005", "loss-diverging", (
        Cause("FIT501", "missing-zero-grad",
              "gradients accumulated over every batch since the start make each step larger than the "
              "last, so the loss climbs instead of falling (reference run no_zero_grad)"),
        Cause("FIT505", "learning-rate-out-of-range",
              "a learning rate far too high makes each step overshoot the minimum by more than the "
              "last, so the loss grows"),
        Cause("FIT401", "input-not-normalized",
              "unnormalized inputs give gradients hundreds of times too large for the learning rate, "
              "so the steps overshoot and the loss grows"),
    ), ("learning-rate",)),
    Symptom("LOG006", "not-learning", (
        Cause("FIT503", "no-trainable-parameters",
              "the optimizer holds no parameter that requires a gradient, so no step changes the model "
              "and the loss stays at its initial value"),
        Cause("FIT505", "learning-rate-out-of-range",
              "a learning rate orders of magnitude too small moves the weights too little to change "
              "the loss (reference run lr_low: SGD at 1e-6, loss at ln 10 for 40 epochs)"),
        Cause("FIT401", "input-not-normalized",
              "unnormalized inputs saturate the first activations (or dead ReLUs), so the gradients "
              "that reach the weights are near zero and the model predicts the class prior"),
    ), ("learning-rate", "weak-features")),
    Symptom("LOG007", "stalled-early", (
        Cause("FIT002", "scheduler-step-frequency",
              "a scheduler meant to step once per epoch stepped every batch decays the learning rate "
              "to nearly zero within the first epochs, so the loss stops falling early (reference "
              "run sched_per_iter)"),
        Cause("FIT302", "double-softmax",
              "CrossEntropyLoss applies its own log-softmax, so a Softmax output squeezes the logits "
              "into [0, 1] and the loss cannot go below log(1 + (k-1)/e) (reference run double_softmax)"),
        Cause("FIT301", "activation-before-softmax",
              "an activation on the logits (ReLU, Sigmoid) clips or squeezes them, so the loss stalls "
              "at a floor and units stuck below zero get no gradient"),
        Cause("FIT505", "learning-rate-out-of-range",
              "a learning rate too high throws the weights into a region where the model predicts the "
              "class prior, and the loss stays on that plateau"),
        Cause("FIT401", "input-not-normalized",
              "unnormalized inputs spike the loss on the first steps and leave a model that predicts "
              "the class prior (reference run no_normalization_bc)"),
    ), ("learning-rate",)),
    Symptom("LOG008", "oscillating", (
        Cause("FIT505", "learning-rate-out-of-range",
              "a learning rate too high makes each step overshoot the minimum, so the loss jumps back "
              "and forth instead of settling"),
        Cause("FIT504", "batchnorm-small-batch",
              "batch-norm statistics from a few samples change from batch to batch, and the running "
              "statistics used at evaluation swing with them, so the curves zig-zag"),
    ), ("learning-rate", "batch-size")),
    Symptom("LOG009", "constant-validation-metric", (
        Cause("FIT301", "activation-before-softmax",
              "a ReLU on the logits turns them all to 0 once they go negative, so every sample gets the "
              "same prediction and validation accuracy freezes at one class's share"),
        Cause("FIT401", "input-not-normalized",
              "unnormalized inputs leave a model that predicts one class for everything, so validation "
              "accuracy is that class's share at every epoch (reference run no_normalization_bc)"),
        Cause("FIT505", "learning-rate-out-of-range",
              "a learning rate out of range either never moves the model or throws it to predicting "
              "the class prior, so its predictions stop changing"),
    ), ("learning-rate", "weak-features")),
    Symptom("LOG010", "validation-better-than-train", (
        Cause("FIT603", "validation-is-training-data",
              "the validation loader walks the training data: evaluated in eval mode (no dropout) on "
              "samples the model has memorized, the validation numbers sit above the training numbers, "
              "which are averaged over the epoch with dropout on while the model was still learning"),
    ), ("distribution-shift",)),
    Symptom("LOG011", "plateau-without-lr-decay", (
        Cause("FIT003", "plateau-scheduler-without-metric",
              "ReduceLROnPlateau.step() without the validation loss has nothing to compare: the rate "
              "is never reduced (or the call raises), so the run stays on its plateau"),
    ), ("learning-rate",)),
)


def symptoms_by_code() -> dict[str, Symptom]:
    return {symptom.log_code: symptom for symptom in SYMPTOMS}


def symptoms_caused_by(scan_code: str) -> tuple[Symptom, ...]:
    """The symptoms a static finding can produce (empty: it leaves no mark on training curves)."""
    return tuple(s for s in SYMPTOMS if any(c.scan_code == scan_code for c in s.causes))


def links() -> tuple[tuple[str, str, str], ...]:
    """Every (log_code, scan_code, explanation) in the table, in table order."""
    return tuple((s.log_code, c.scan_code, c.explanation) for s in SYMPTOMS for c in s.causes)


def markdown_table() -> str:
    """The link table as markdown (docs/audit.md holds this text verbatim)."""
    rows = ["| symptom in the logs | mistake in the script | how the mistake produces the symptom |",
            "|---|---|---|"]
    for symptom in SYMPTOMS:
        for cause in symptom.causes:
            rows.append(f"| {symptom.log_code} {symptom.log_name} | {cause.scan_code} {cause.scan_name} | {cause.explanation} |")
    return "\n".join(rows)


def unseen_table() -> str:
    """The causes a static pass cannot see, as markdown, with the symptoms that list each."""
    rows = ["| cause (seed point) | listed for | what to check |", "|---|---|---|"]
    for key, cause in UNSEEN_CAUSES.items():
        points = f" ({', '.join(map(str, cause.seed_points))})" if cause.seed_points else " (closing remark)"
        codes = ", ".join(s.log_code for s in SYMPTOMS if key in s.unseen)
        rows.append(f"| {cause.title}{points} | {codes} | {cause.check} |")
    return "\n".join(rows)
