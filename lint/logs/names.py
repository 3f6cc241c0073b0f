"""Map a logged name (a CSV column, a TensorBoard tag, a file name) to ``(split, metric)``.

Splits are ``train``, ``validation`` and ``test``, the values of ``fitlint.findings.Split`` (the
scanner's words too); metrics ``loss``, ``accuracy`` and ``lr`` are
recognized, anything else is kept under its own (cleaned) name so nothing is silently dropped.
"""

from __future__ import annotations

from fitlint.words import words

SPLIT_WORDS = {
    "train": "train", "training": "train", "trn": "train", "tr": "train",
    "val": "validation", "valid": "validation", "validation": "validation", "eval": "validation",
    "evaluation": "validation", "dev": "validation", "vl": "validation",
    "test": "test", "testing": "test", "tst": "test",
}
METRIC_WORDS = {
    "loss": "loss", "losses": "loss", "cost": "loss", "nll": "loss", "xent": "loss",
    "acc": "accuracy", "accuracy": "accuracy", "accu": "accuracy", "top1": "accuracy",
    "acc1": "accuracy", "categorical_accuracy": "accuracy", "sparse_categorical_accuracy": "accuracy",
    "binary_accuracy": "accuracy",
    "lr": "lr", "learning_rate": "lr", "learningrate": "lr",
}
# Words that carry no meaning for the mapping (the seed's "result_of_", Keras' "epoch_" tag prefix,
# Lightning's "_step"/"_epoch" suffixes are handled separately as granularity markers).
NOISE_WORDS = {"result", "of", "results", "metric", "metrics", "avg", "mean", "scalar", "scalars",
               "history", "log", "logs", "vs", "iterations", "per", "the", "s", "average", "running",
               "set", "total", "final"}
# Columns that are an axis or bookkeeping, never a metric.
AXIS_NAMES = {
    "epoch", "epochs", "step", "steps", "global_step", "iteration", "iter", "it", "batch",
    "time", "timestamp", "wall_time", "walltime", "_runtime", "_timestamp", "_step", "runtime",
    "total_flos", "train_runtime", "train_samples_per_second", "train_steps_per_second",
    "eval_runtime", "eval_samples_per_second", "eval_steps_per_second", "", "unnamed: 0",
    # Lightning's TensorBoard logger writes hp_metric = -1 for the hyperparameters tab: not a curve
    "hp_metric",
}

def tokens(name: str) -> list[str]:
    return words(name)


def granularity(name: str) -> str | None:
    """'epoch' or 'step' when the name says how often it was logged (Lightning, Keras TB)."""
    toks = tokens(name)
    if not toks:
        return None
    if toks[-1] == "epoch" or toks[0] == "epoch":
        return "epoch"
    if toks[-1] == "step" or toks[0] == "batch":
        return "step"
    return None


def classify(name: str, split_hint: str | None = None) -> tuple[str, str] | None:
    """``(split, metric)`` for a logged name, or None for an axis/bookkeeping column.

    A name without a split word is training data (Keras logs ``loss`` and ``val_loss``), unless
    ``split_hint`` says otherwise (Keras TensorBoard's ``validation/`` folder, a stdout block).
    The learning rate belongs to the training loop: its split is always ``train``.
    """
    if name.strip().lower() in AXIS_NAMES:
        return None
    toks = tokens(name)
    # Lightning "train_loss_step"/"val_acc_epoch", Keras TB "epoch_loss": granularity, not meaning.
    if len(toks) > 1 and toks[-1] in ("step", "epoch"):
        toks = toks[:-1]
    if len(toks) > 1 and toks[0] in ("epoch", "batch"):
        toks = toks[1:]
    split = None
    metric_parts: list[str] = []
    joined = "_".join(toks)
    # Multi-word metric names first ("learning_rate", "binary_accuracy").
    for multi, metric in METRIC_WORDS.items():
        if "_" in multi and multi in joined:
            rest = joined.replace(multi, " ").replace("_", " ").split()
            toks = rest + [multi]
            break
    for tok in toks:
        if tok in SPLIT_WORDS and split is None:
            split = SPLIT_WORDS[tok]
        elif tok in NOISE_WORDS:
            continue
        else:
            metric_parts.append(tok)
    mapped = [METRIC_WORDS.get(p) for p in metric_parts]
    known = [m for m in mapped if m]
    if len(metric_parts) == 1 and known:
        metric = known[0]
    elif known and len(set(known)) == 1 and all(
        m or p.startswith("lr") or p in ("sparse", "categorical") for p, m in zip(metric_parts, mapped)
    ):
        metric = known[0]
    elif metric_parts:
        metric = "_".join(metric_parts)
    else:
        return None
    if metric == "lr" or metric.startswith("lr_") or metric.startswith("lr-"):
        return ("train", "lr")
    if split is None:
        split = split_hint or "train"
    return (split, metric)
