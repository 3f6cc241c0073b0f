"""Turn a reader's raw records into the tidy table every check reads.

Tidy columns: ``run, source, split, metric, epoch, step, value``. ``epoch`` is 0-based (NaN when
only steps are known), ``value`` keeps NaN and inf (they are findings, not missing data).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fitlint.logs.names import classify, granularity

TIDY_COLUMNS = ["run", "source", "split", "metric", "epoch", "step", "value"]


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("epoch", "step", "value") else "str")
                         for c in TIDY_COLUMNS})


def tidy(records: pd.DataFrame, *, run: str, source: str, has_epochs: bool) -> tuple[pd.DataFrame, list[str]]:
    """Map names to (split, metric), normalize accuracy, and aggregate steps to epochs."""
    notes: list[str] = []
    if records.empty:
        return empty(), notes
    records = records.copy()
    if not has_epochs:
        records["epoch"] = np.nan
    records = _epochs_from_logged_epoch(records)
    keys = records[["name", "split_hint"]].drop_duplicates()
    mapping: dict[tuple, tuple[str, str] | None] = {}
    for name, hint in keys.itertuples(index=False):
        hint = hint if isinstance(hint, str) else None
        mapping[(name, hint)] = classify(name, hint)
    records["split_hint"] = records["split_hint"].where(records["split_hint"].notna(), None)
    pairs = [mapping[(n, h if isinstance(h, str) else None)] for n, h in keys.itertuples(index=False)]
    keys = keys.assign(split=[p[0] if p else None for p in pairs], metric=[p[1] if p else None for p in pairs],
                       gran=[granularity(n) for n in keys["name"]])
    keys = keys[keys["metric"].notna()]
    # Several names for one (split, metric): Lightning's "train_loss_step" and "train_loss_epoch",
    # or "Loss/train" next to a per-batch "batch_loss". Keep the epoch-level name, else one without
    # a granularity, else the per-step one; if still several, the one with the most points.
    keep = []
    counts = records.groupby(["name"], sort=False).size()
    def rank(g) -> int:
        return {"epoch": 0, "step": 2}.get(g, 1) if isinstance(g, str) else 1

    for (split, metric), group in keys.groupby(["split", "metric"], sort=False):
        if len(group) > 1:
            best = min(rank(g) for g in group["gran"])
            group = group[[rank(g) == best for g in group["gran"]]]
        if len(group) > 1:
            chosen = max(group["name"], key=lambda n: counts.get(n, 0))
            notes.append(f"{split} {metric}: read from {chosen!r}; also logged as "
                         f"{', '.join(repr(n) for n in group['name'] if n != chosen)} (not used)")
            group = group[group["name"] == chosen]
        keep.append(group)
    if not keep:
        return empty(), notes
    keys = pd.concat(keep)
    merged = records.merge(keys, on=["name", "split_hint"], how="inner", sort=False)
    # A Keras TensorBoard "epoch_*" tag has the epoch as its step.
    by_epoch_tag = merged["gran"].eq("epoch") & merged["epoch"].isna() & merged["name"].str.lower().str.startswith("epoch")
    merged.loc[by_epoch_tag, "epoch"] = merged.loc[by_epoch_tag, "step"]
    merged = merged.drop(columns=["name", "split_hint", "gran"])
    merged, pct_notes = _normalize_accuracy(merged)
    notes += pct_notes
    out = _aggregate(merged)
    out.insert(0, "source", source)
    out.insert(0, "run", run)
    return out[TIDY_COLUMNS], notes


def _epochs_from_logged_epoch(records: pd.DataFrame) -> pd.DataFrame:
    """Give an epoch to records that only have a step, from the records that have both (Lightning's
    sparse CSV rows) or from an ``epoch`` metric (Lightning's TensorBoard and MLflow loggers)."""
    if records["epoch"].notna().all():
        return records
    is_epoch = records["name"].str.strip().str.lower().eq("epoch")
    if is_epoch.any():
        table = records.loc[is_epoch & records["step"].notna(), ["step", "value"]].dropna()
    else:
        both = records["epoch"].notna() & records["step"].notna()
        if not both.any():
            return records
        table = records.loc[both, ["step", "epoch"]].rename(columns={"epoch": "value"})
    if table.empty:
        return records
    table = table.groupby("step")["value"].max().sort_index()
    missing = records["epoch"].isna() & records["step"].notna()
    if missing.any():
        pos = np.searchsorted(table.index.to_numpy(), records.loc[missing, "step"].to_numpy(), side="left")
        pos = np.clip(pos, 0, len(table) - 1)
        records.loc[missing, "epoch"] = table.to_numpy()[pos]
    return records


def _normalize_accuracy(frame: pd.DataFrame) -> tuple[pd.DataFrame, list[str]]:
    """Accuracy in percent (any finite value above 1.5) is divided by 100, per series."""
    notes = []
    acc = frame["metric"].eq("accuracy")
    if not acc.any():
        return frame, notes
    for split in frame.loc[acc, "split"].unique():
        mask = acc & frame["split"].eq(split)
        values = frame.loc[mask, "value"]
        top = values[np.isfinite(values)].max() if len(values) else np.nan
        if top > 100.0 + 1e-9:
            # Not an accuracy as we know it: keep it, under a name the checks do not read.
            frame.loc[mask, "metric"] = "accuracy_raw"
            notes.append(f"{split} accuracy has values above 100 ({top:g}); not read as an accuracy")
        elif top > 1.5:
            frame.loc[mask, "value"] = values / 100.0
            notes.append(f"{split} accuracy read as percent")
    return frame, notes


def _aggregate(frame: pd.DataFrame) -> pd.DataFrame:
    """One value per (split, metric, epoch): mean of the steps of that epoch (last for lr).

    Series without epochs keep one value per step (mean of duplicates).
    """
    parts = []
    with_epoch = frame[frame["epoch"].notna()]
    if not with_epoch.empty:
        with_epoch = with_epoch.assign(epoch=np.floor(with_epoch["epoch"]))
        grouped = with_epoch.groupby(["split", "metric", "epoch"], sort=True)
        agg = grouped["value"].mean()
        # NaN must survive the mean (pandas skips it): an epoch with any NaN step is NaN.
        has_nan = with_epoch["value"].isna().groupby(
            [with_epoch["split"], with_epoch["metric"], with_epoch["epoch"]], sort=True).any()
        agg[has_nan.to_numpy()] = np.nan
        last = grouped["value"].last()
        is_lr = agg.index.get_level_values("metric") == "lr"
        agg[is_lr] = last[is_lr]
        step = grouped["step"].max()
        parts.append(pd.DataFrame({"value": agg, "step": step}).reset_index())
    no_epoch = frame[frame["epoch"].isna() & frame["step"].notna()]
    if not no_epoch.empty:
        keys = [no_epoch["split"], no_epoch["metric"], no_epoch["step"]]
        agg = no_epoch["value"].groupby(keys, sort=True).mean()
        agg[no_epoch["value"].isna().groupby(keys, sort=True).any().to_numpy()] = np.nan
        part = agg.reset_index()
        part["epoch"] = np.nan
        parts.append(part)
    if not parts:
        return empty().drop(columns=["run", "source"])
    out = pd.concat(parts, ignore_index=True)
    return out[["split", "metric", "epoch", "step", "value"]]
