"""Turn a reader's raw records into the tidy table every check reads.

Tidy columns: ``run, source, split, metric, epoch, step, value``. ``epoch`` is 0-based (NaN when
only steps are known), ``value`` keeps NaN and inf (they are findings, not missing data).

Records can be millions of rows (a per-step CSV): names are mapped once per distinct
(name, split hint) and rows are handled through integer codes, never string by string.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fitlint.logs.names import classify, granularity

TIDY_COLUMNS = ["run", "source", "split", "metric", "epoch", "step", "value"]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("epoch", "step", "value") else "str")
                         for c in TIDY_COLUMNS})


def _codes(column: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes and their labels (None for missing) of a column."""
    cat = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    codes = cat.cat.codes.to_numpy()
    labels = list(cat.cat.categories) + [None]
    return np.where(codes < 0, len(labels) - 1, codes), labels


def _rank(gran: str | None) -> int:
    # epoch-level name first, then a name without granularity, then a per-step one
    return {"epoch": 0, "step": 2}.get(gran, 1) if isinstance(gran, str) else 1


def tidy(records: pd.DataFrame, *, run: str, source: str, has_epochs: bool) -> tuple[pd.DataFrame, list[str]]:
    """Map names to (split, metric), normalize accuracy, and aggregate steps to epochs."""
    notes: list[str] = []
    if records.empty:
        return empty(), notes
    name_codes, names = _codes(records["name"])
    hint_codes, hints = _codes(records["split_hint"])
    key = name_codes.astype("int64") * len(hints) + hint_codes
    uniq, inverse, counts = np.unique(key, return_inverse=True, return_counts=True)
    table = pd.DataFrame({"name": [names[k // len(hints)] for k in uniq],
                          "hint": [hints[k % len(hints)] for k in uniq], "count": counts})
    mapped = [classify(str(n), h if isinstance(h, str) else None) for n, h in zip(table["name"], table["hint"])]
    table["split"] = [m[0] if m else None for m in mapped]
    table["metric"] = [m[1] if m else None for m in mapped]
    table["gran"] = [granularity(str(n)) for n in table["name"]]
    table["is_epoch"] = [str(n).strip().lower() == "epoch" for n in table["name"]]

    epoch = records["epoch"].to_numpy(dtype="float64").copy()
    step = records["step"].to_numpy(dtype="float64")
    value = records["value"].to_numpy(dtype="float64")
    if not has_epochs:
        epoch[:] = np.nan
    epoch = _fill_epochs(epoch, step, value, table["is_epoch"].to_numpy()[inverse])

    # Several names for one (split, metric): Lightning's "train_loss_step" and "train_loss_epoch",
    # or "Loss/train" next to a per-batch "batch_loss". Keep the epoch-level name, else one without
    # a granularity, else the per-step one; if still several, the one with the most points.
    keep = np.zeros(len(table), dtype=bool)
    for (split, metric), group in table[table["metric"].notna()].groupby(["split", "metric"], sort=False):
        best = min(_rank(g) for g in group["gran"])
        group = group[[_rank(g) == best for g in group["gran"]]]
        chosen = group["count"].idxmax()
        if len(group) > 1:
            others = ", ".join(repr(str(n)) for i, n in group["name"].items() if i != chosen)
            notes.append(f"{split} {metric}: read from {str(group.loc[chosen, 'name'])!r}; also logged as {others} (not used)")
        keep[chosen] = True
    rows = keep[inverse]
    if not rows.any():
        return empty(), notes
    # A Keras TensorBoard "epoch_*" tag has the epoch as its step.
    epoch_tag = np.array([g == "epoch" and str(n).lower().startswith("epoch") for g, n in zip(table["gran"], table["name"])])
    fix = epoch_tag[inverse] & np.isnan(epoch)
    epoch[fix] = step[fix]

    split_labels = sorted({s for s in table.loc[keep, "split"]})
    metric_labels = sorted({m for m in table.loc[keep, "metric"]})
    split_code = np.array([split_labels.index(s) if k else -1 for s, k in zip(table["split"], keep)])[inverse]
    metric_code = np.array([metric_labels.index(m) if k else -1 for m, k in zip(table["metric"], keep)])[inverse]
    frame = pd.DataFrame({
        "split": pd.Categorical.from_codes(split_code[rows], split_labels),
        "metric": pd.Categorical.from_codes(metric_code[rows], metric_labels),
        "epoch": epoch[rows], "step": step[rows], "value": value[rows],
    })
    frame, pct_notes = _normalize_accuracy(frame)
    notes += pct_notes
    out = _aggregate(frame)
    out["split"] = out["split"].astype("str")
    out["metric"] = out["metric"].astype("str")
    out.insert(0, "source", source)
    out.insert(0, "run", run)
    return out[TIDY_COLUMNS].reset_index(drop=True), notes


def _fill_epochs(epoch: np.ndarray, step: np.ndarray, value: np.ndarray, is_epoch: np.ndarray) -> np.ndarray:
    """Give an epoch to points that only have a step, from the points that have both (Lightning's
    sparse CSV rows) or from an ``epoch`` metric (Lightning's TensorBoard and MLflow loggers)."""
    missing = np.isnan(epoch) & ~np.isnan(step)
    if not missing.any():
        return epoch
    if is_epoch.any():
        known_step, known_epoch = step[is_epoch], value[is_epoch]
    else:
        both = ~np.isnan(epoch) & ~np.isnan(step)
        if not both.any():
            return epoch
        known_step, known_epoch = step[both], epoch[both]
    ok = ~np.isnan(known_step) & ~np.isnan(known_epoch)
    table = pd.Series(known_epoch[ok]).groupby(known_step[ok]).max().sort_index()
    if table.empty:
        return epoch
    pos = np.clip(np.searchsorted(table.index.to_numpy(), step[missing], side="left"), 0, len(table) - 1)
    epoch[missing] = table.to_numpy()[pos]
    return epoch


def _normalize_accuracy(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Accuracy in percent (any finite value above 1.5) is divided by 100, per series."""
    notes = []
    if "accuracy" not in frame["metric"].cat.categories:
        return frame, notes
    acc = (frame["metric"] == "accuracy").to_numpy()
    values = frame["value"].to_numpy().copy()
    metric = frame["metric"]
    for split in frame.loc[acc, "split"].unique():
        mask = acc & (frame["split"] == split).to_numpy()
        series = values[mask]
        finite = series[np.isfinite(series)]
        top = finite.max() if len(finite) else np.nan
        if top > 100.0 + 1e-9:
            # Not an accuracy as we know it: keep it, under a name the checks do not read.
            metric = metric.cat.add_categories(["accuracy_raw"]) if "accuracy_raw" not in metric.cat.categories else metric
            metric = metric.where(~mask, "accuracy_raw")
            notes.append(f"{split} accuracy has values above 100 ({top:g}); not read as an accuracy")
        elif top > 1.5:
            values[mask] = series / 100.0
            notes.append(f"{split} accuracy read as percent")
    return frame.assign(value=values, metric=metric), notes


def _aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    """One value per (split, metric, epoch): mean of the steps of that epoch (last for lr), NaN when
    any of them is NaN. Series without epochs keep one value per step (mean of duplicates)."""
    parts = []
    has_epoch = frame["epoch"].notna().to_numpy()
    with_epoch = frame[has_epoch]
    if not with_epoch.empty:
        with_epoch = with_epoch.assign(epoch=np.floor(with_epoch["epoch"].to_numpy()),
                                       nan=with_epoch["value"].isna())
        grouped = with_epoch.groupby(["split", "metric", "epoch"], sort=True, observed=True)
        agg = grouped.agg(value=("value", "mean"), last=("value", "last"), step=("step", "max"), nan=("nan", "any"))
        agg.loc[agg["nan"].to_numpy(), "value"] = np.nan
        is_lr = (agg.index.get_level_values("metric") == "lr")
        agg.loc[is_lr, "value"] = agg.loc[is_lr, "last"]
        parts.append(agg[["value", "step"]].reset_index())
    no_epoch = frame[~has_epoch & frame["step"].notna().to_numpy()]
    if not no_epoch.empty:
        no_epoch = no_epoch.assign(nan=no_epoch["value"].isna())
        grouped = no_epoch.groupby(["split", "metric", "step"], sort=True, observed=True)
        agg = grouped.agg(value=("value", "mean"), nan=("nan", "any"))
        agg.loc[agg["nan"].to_numpy(), "value"] = np.nan
        part = agg[["value"]].reset_index()
        part["epoch"] = np.nan
        parts.append(part)
    if not parts:
        return pd.DataFrame({"split": pd.Categorical([]), "metric": pd.Categorical([]), "epoch": [], "step": [], "value": []})
    out = pd.concat(parts, ignore_index=True)
    return out[["split", "metric", "epoch", "step", "value"]]
