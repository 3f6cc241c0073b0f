"""Turn a reader's raw records into the tidy table every check reads.

Tidy columns: ``run, source, split, metric, epoch, step, value``. ``epoch`` is 0-based (NaN when
only steps are known), ``value`` keeps NaN and inf (they are findings, not missing data).

Records can be millions of rows (a per-step CSV): names are mapped once per distinct
(name, split hint), rows are handled through integer codes and every pass over them is a numpy
operation (``bincount``, ``ufunc.at``), never a Python loop or a sort of the rows.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from fitlint.logs.names import classify, granularity

TIDY_COLUMNS = ["run", "source", "split", "metric", "epoch", "step", "value"]
# Group keys are dense integers when (series x axis values) fits this; beyond it, a sort.
DENSE_KEYS = 20_000_000


def empty() -> pd.DataFrame:
    return pd.DataFrame({c: pd.Series(dtype="float64" if c in ("epoch", "step", "value") else "str")
                         for c in TIDY_COLUMNS})


def _codes(column: pd.Series) -> tuple[np.ndarray, list]:
    """Integer codes (0 for missing) and their labels (None first) of a column."""
    cat = column if isinstance(column.dtype, pd.CategoricalDtype) else column.astype("category")
    return cat.cat.codes.to_numpy().astype("int64") + 1, [None, *cat.cat.categories]


def _rank(gran: str | None) -> int:
    # epoch-level name first, then a name without granularity, then a per-step one
    return {"epoch": 0, "step": 2}.get(gran, 1) if isinstance(gran, str) else 1


def _name_table(records: pd.DataFrame) -> tuple[pd.DataFrame, np.ndarray]:
    """One row per distinct (name, split hint) with its meaning, and each record's row in it."""
    name_codes, names = _codes(records["name"])
    hint_codes, hints = _codes(records["split_hint"])
    ids = name_codes * len(hints) + hint_codes
    counts = np.bincount(ids, minlength=len(names) * len(hints))
    present = np.flatnonzero(counts)
    table = pd.DataFrame({"name": [names[k // len(hints)] for k in present],
                          "hint": [hints[k % len(hints)] for k in present], "count": counts[present]},
                         index=present)
    mapped = [classify(str(n), h) for n, h in zip(table["name"], table["hint"])]
    table["split"] = [m[0] if m else None for m in mapped]
    table["metric"] = [m[1] if m else None for m in mapped]
    table["gran"] = [granularity(str(n)) for n in table["name"]]
    table["is_epoch"] = [str(n).strip().lower() == "epoch" for n in table["name"]]
    return table, ids


def _chosen_series(table: pd.DataFrame, notes: list[str]) -> tuple[pd.Series, list[tuple[str, str]]]:
    """For each (split, metric), the one name it is read from: a series number per table row
    (-1: not read) and the (split, metric) of each number. Lightning logs ``train_loss_step`` and ``train_loss_epoch``, a script
    ``Loss/train`` next to a per-batch ``batch_loss``: the epoch-level name wins, else one without
    a granularity, else the per-step one; if still several, the one with the most points."""
    chosen = pd.Series(-1, index=table.index)
    pairs = []
    for number, ((split, metric), group) in enumerate(table[table["metric"].notna()].groupby(["split", "metric"])):
        pairs.append((split, metric))
        best = min(_rank(g) for g in group["gran"])
        group = group[[_rank(g) == best for g in group["gran"]]]
        pick = group["count"].idxmax()
        if len(group) > 1:
            others = ", ".join(repr(str(n)) for i, n in group["name"].items() if i != pick)
            notes.append(f"{split} {metric}: read from {str(group.loc[pick, 'name'])!r}; also logged as {others} (not used)")
        chosen[pick] = number
    return chosen, pairs


def tidy(records: pd.DataFrame, *, run: str, source: str, has_epochs: bool) -> tuple[pd.DataFrame, list[str]]:
    """Map names to (split, metric), normalize accuracy, and aggregate steps to epochs."""
    notes: list[str] = []
    if records.empty:
        return empty(), notes
    table, ids = _name_table(records)
    chosen, pairs = _chosen_series(table, notes)
    if not pairs:
        return empty(), notes
    rows_of = table.index.to_numpy()
    series = _per_id(rows_of, chosen.to_numpy(), -1)[ids]

    epoch = records["epoch"].to_numpy(dtype="float64")
    epoch = epoch.copy() if has_epochs else np.full(len(epoch), np.nan)
    step = records["step"].to_numpy(dtype="float64")
    value = records["value"].to_numpy(dtype="float64")
    epoch = _fill_epochs(epoch, step, value, _per_id(rows_of, table["is_epoch"].to_numpy(), False)[ids])
    # A Keras TensorBoard "epoch_*" tag has the epoch as its step.
    epoch_tag = [g == "epoch" and str(n).lower().startswith("epoch") for g, n in zip(table["gran"], table["name"])]
    fix = _per_id(rows_of, np.array(epoch_tag, dtype=bool), False)[ids] & np.isnan(epoch)
    epoch[fix] = step[fix]

    kept = series >= 0
    metrics = [metric for _, metric in pairs]
    parts = []
    with_epoch = kept & np.isfinite(epoch)
    if with_epoch.any():
        parts.append(_aggregate(series, np.floor(epoch), step, value, with_epoch, metrics, by_epoch=True))
    steps_only = kept & ~np.isfinite(epoch) & np.isfinite(step)
    if steps_only.any():
        parts.append(_aggregate(series, step, step, value, steps_only, metrics, by_epoch=False))
    if not parts:
        return empty(), notes
    out = pd.concat(parts, ignore_index=True)
    out, scale_notes = _accuracy_scale(out, _value_range(series[kept], value[kept], len(pairs)), pairs)
    notes += scale_notes
    out.insert(0, "source", source)
    out.insert(0, "run", run)
    return out[TIDY_COLUMNS].reset_index(drop=True), notes


def _per_id(rows_of: np.ndarray, values: np.ndarray, default) -> np.ndarray:
    """A lookup array from name-table row ids to ``values`` (``default`` for absent ids)."""
    lookup = np.full(int(rows_of.max()) + 1, default, dtype=np.asarray(values).dtype)
    lookup[rows_of] = values
    return lookup


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
    ok = np.isfinite(known_step) & np.isfinite(known_epoch)
    table = pd.Series(known_epoch[ok]).groupby(known_step[ok]).max().sort_index()
    if table.empty:
        return epoch
    pos = np.clip(np.searchsorted(table.index.to_numpy(), step[missing], side="left"), 0, len(table) - 1)
    epoch[missing] = table.to_numpy()[pos]
    return epoch


def _value_range(series: np.ndarray, value: np.ndarray, count: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per series: the largest and smallest finite value (-inf and inf without one), and whether
    it has an infinite one."""
    finite = np.isfinite(value)
    top, bottom = np.full(count, -np.inf), np.full(count, np.inf)
    np.maximum.at(top, series, np.where(finite, value, -np.inf))
    np.minimum.at(bottom, series, np.where(finite, value, np.inf))
    infinite = np.bincount(series, weights=np.isinf(value), minlength=count) > 0
    return top, bottom, infinite


def group_ids(series: np.ndarray, axis: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Dense group numbers of (series, axis) pairs, ordered by series then axis, and each group's
    series and axis value."""
    if len(axis) == 0:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype="int64"), np.zeros(0)
    low, high = float(axis.min()), float(axis.max())
    span = high - low + 1
    if np.all(axis == np.floor(axis)) and span * (int(series.max()) + 1) <= DENSE_KEYS:
        span = int(span)
        key = series * span + (axis - low).astype("int64")
        present = np.bincount(key, minlength=(int(series.max()) + 1) * span) > 0
        dense = np.cumsum(present) - 1
        keys = np.flatnonzero(present)
        return dense[key], keys // span, keys % span + low
    order = np.lexsort((axis, series))
    ordered_series, ordered_axis = series[order], axis[order]
    starts = np.ones(len(order), dtype=bool)
    starts[1:] = (np.diff(ordered_series) != 0) | (np.diff(ordered_axis) != 0)
    ids = np.empty(len(order), dtype="int64")
    ids[order] = np.cumsum(starts) - 1
    return ids, ordered_series[starts], ordered_axis[starts]


def reduce_groups(ids: np.ndarray, size: int, value: np.ndarray, step: np.ndarray,
                  use_last: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """For each of ``size`` groups: the mean of its points (its last point where ``use_last``:
    the learning rate an epoch ended with), NaN when any of them is NaN; and its largest step."""
    counts = np.bincount(ids, minlength=size).astype("float64")
    with np.errstate(invalid="ignore", divide="ignore"):
        # a mean of shares (value / count) cannot overflow where the values themselves do not
        mean = np.bincount(ids, weights=value / counts[ids], minlength=size)
    mean[np.bincount(ids, weights=np.isnan(value), minlength=size) > 0] = np.nan
    if use_last.any():
        last = np.zeros(size, dtype="int64")
        np.maximum.at(last, ids, np.arange(len(ids)))
        mean[use_last] = value[last[use_last]]
    steps = np.full(size, -np.inf)
    np.fmax.at(steps, ids, step)
    steps[np.isinf(steps)] = np.nan
    return mean, steps


def _aggregate(series, axis, step, value, rows, metrics, *, by_epoch: bool) -> pd.DataFrame:
    """One value per (series, epoch) or per (series, step) (see ``reduce_groups``)."""
    ids, group_series, group_axis = group_ids(series[rows], axis[rows])
    is_lr = np.array([metric == "lr" for metric in metrics], dtype=bool)[group_series]
    mean, steps = reduce_groups(ids, len(group_series), value[rows], step[rows], is_lr)
    epochs = group_axis if by_epoch else np.full(len(group_series), np.nan)
    return pd.DataFrame({"series": group_series, "epoch": epochs, "step": steps if by_epoch else group_axis,
                         "value": mean})


def _accuracy_scale(out: pd.DataFrame, value_range: tuple, pairs: list) -> tuple[pd.DataFrame, list[str]]:
    """Name each row's split and metric, deciding per series whether an accuracy is a fraction or
    a percentage: any value above 1 is percent (an accuracy cannot exceed 100%), divided by 100.
    A series with a value below 0, above 100 or infinite is no accuracy at all: it is kept under a
    name no check reads."""
    notes = []
    top, bottom, infinite = value_range
    numbers = out["series"].to_numpy()
    values = out["value"].to_numpy(dtype="float64").copy()
    metric_names = [metric for _, metric in pairs]
    for number, (split, metric) in enumerate(pairs):
        if metric != "accuracy":
            continue
        if top[number] > 100.0 or bottom[number] < 0 or infinite[number]:
            metric_names[number] = "accuracy_raw"
            notes.append(f"{split} accuracy has values outside 0..100 ({bottom[number]:g} to {top[number]:g}"
                         f"{', infinite' if infinite[number] else ''}); not read as an accuracy")
        elif top[number] > 1.0:
            rows = numbers == number
            values[rows] = values[rows] / 100.0
            notes.append(f"{split} accuracy read as percent")
    return pd.DataFrame({"split": np.array([split for split, _ in pairs], dtype=object)[numbers],
                         "metric": np.array(metric_names, dtype=object)[numbers],
                         "epoch": out["epoch"].to_numpy(), "step": out["step"].to_numpy(), "value": values}), notes
