"""The log check framework: what a log check declares beyond a check (``fitlint.plugin.Check``),
and the curve helpers checks share.

A log check is one ``LogCheck`` subclass in one module of ``fitlint.logs.checks`` (discovered by
``all_checks``). Its options are thresholds, its documentation has the sections in ``DOC_SECTIONS``
(``Thresholds`` documents every option), and its VALID / INVALID examples are small inline tables,
which one test module turns into parametrized tests.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, ClassVar, Iterator

import numpy as np
import pandas as pd

from fitlint.logs.finding import LogFinding
from fitlint.logs.run import INFERRED, Run, infer_classes
from fitlint.plugin import Check, UnknownCode, discover, selected, split_codes

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Thresholds", "References")


@dataclass(frozen=True)
class Example:
    """A run as a small table (Keras CSV column names: ``loss``, ``val_accuracy``, ``lr``...)."""

    table: dict[str, list]
    num_classes: int | None = None
    why: str = ""


@dataclass(frozen=True)
class Hit:
    """What a check yields; the framework turns it into a LogFinding."""

    message: str
    split: str | None
    metric: str | None
    x: float | None
    evidence: dict[str, Any] = field(default_factory=dict)


class LogCheck(Check):
    DOC_SECTIONS = DOC_SECTIONS
    DOCS_FOLDER = "checks"
    # Codes whose presence on the same run makes this check's finding redundant (a root cause).
    yields_to: ClassVar[tuple[str, ...]] = ()
    VALID: ClassVar[list[Example]] = []
    INVALID: ClassVar[list[Example]] = []

    def check(self, run: Run) -> Iterator[Hit]:
        raise NotImplementedError

    @classmethod
    def traits(cls) -> list[str]:
        traits = [cls.severity.value, "a log check (`fitlint logs`)"]
        if cls.yields_to:
            traits.append(f"left out when the same run has {' or '.join(cls.yields_to)}")
        return traits

    def finding(self, run: Run, hit: Hit) -> LogFinding:
        evidence = dict(hit.evidence)
        epoch = None
        if hit.x is not None:
            if run.unit == "epoch":
                epoch = int(hit.x)
            else:
                evidence.setdefault("step", int(hit.x))
        return LogFinding(code=self.code, name=self.name, severity=self.severity, message=hit.message,
                          path=run.path, run=run.name, split=hit.split, metric=hit.metric, epoch=epoch,
                          evidence=evidence)


@lru_cache(maxsize=1)
def all_checks() -> tuple[type[LogCheck], ...]:
    """Every check class in the modules of ``fitlint.logs.checks``, sorted by code (discovered, never listed)."""
    return tuple(sorted(discover("fitlint.logs.checks", LogCheck), key=lambda check: check.code))


def checks_by_code() -> dict[str, type[LogCheck]]:
    return {check.code: check for check in all_checks()}


def selected_checks(select: Any = None, ignore: Any = None,
                    options: dict[str, dict[str, Any]] | None = None) -> list[LogCheck]:
    """Instances of the selected checks (prefixes work: ``LOG00`` selects LOG001-LOG009)."""
    checks = all_checks()
    try:
        chosen = selected(checks, split_codes(select) or None, ignore=split_codes(ignore))
    except UnknownCode as error:
        known = ", ".join(check.code for check in checks)
        raise ValueError(f"unknown check code {error.code!r} (known: {known})") from None
    options = options or {}
    for code in options:
        if code not in {check.code for check in checks}:
            raise ValueError(f"options for unknown check {code!r}")
    return [check(options.get(check.code)) for check in chosen]


def run_checks(run: Run, checks: list[LogCheck]) -> list[LogFinding]:
    findings: list[LogFinding] = []
    # A logged 1e308 or NaN is a fact about the run: numpy's overflow warnings say nothing more.
    with np.errstate(all="ignore"):
        for check in checks:
            for hit in check.check(run):
                findings.append(check.finding(run, hit))
    codes = {f.code for f in findings}
    by_code = {c.code: c for c in checks}
    return [f for f in findings if not (set(by_code[f.code].yields_to) & codes)]


# ---------------------------------------------------------------- curve helpers


def finite(series: pd.Series) -> pd.Series:
    return series[np.isfinite(series.to_numpy(dtype="float64"))]


def smooth(series: pd.Series, window: int = 5) -> pd.Series:
    """Centered rolling median: one bad epoch does not move it."""
    return series.rolling(window, center=True, min_periods=1).median()


def head_median(series: pd.Series, n: int = 3) -> float:
    return float(series.iloc[:n].median())


def tail_median(series: pd.Series, frac: float = 1 / 3, at_least: int = 3) -> float:
    n = max(at_least, int(math.ceil(len(series) * frac)))
    return float(series.iloc[-n:].median())


def final_run_start(mask: np.ndarray) -> int | None:
    """Index where the last stretch of True that reaches the end begins (None if mask[-1] is False)."""
    if len(mask) == 0 or not mask[-1]:
        return None
    false = np.flatnonzero(~mask)
    return int(false[-1] + 1) if len(false) else 0


def align(train: pd.Series, other: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Both series on the held-out series' points; per-step training values are averaged over the
    steps since the previous held-out point."""
    if train.empty or other.empty:
        return train.iloc[:0], other.iloc[:0]
    if train.index.equals(other.index):
        return train, other
    edges = np.concatenate([[-np.inf], other.index.to_numpy(dtype="float64")])
    bins = pd.cut(train.index.to_numpy(dtype="float64"), edges, right=True, labels=False)
    grouped = pd.Series(train.to_numpy(), index=bins).groupby(level=0).mean()
    values = grouped.reindex(range(len(other))).to_numpy()
    aligned = pd.Series(values, index=other.index)
    keep = ~np.isnan(values)
    return aligned[keep], other[keep]


# The margin above 1/k within which an accuracy counts as chance wherever a check has no option
# for it (LOG002's own `margin` has the same default).
CHANCE_MARGIN = 0.15


def chance_limit(k: int, margin: float) -> float:
    """The accuracy at or below which a k-class model is 'at chance'."""
    chance = 1.0 / k
    return chance + margin * (1.0 - chance)


def where(run: Run, x: float) -> str:
    return f"{run.unit} {int(x)}" if float(x).is_integer() else f"{run.unit} {x:g}"


# Every finding quotes a logged value through these, so that two findings of one run quote one
# value identically (and never "-0.0%").


def pct(value: float) -> str:
    """An accuracy as a percentage with one decimal."""
    if not math.isfinite(value):
        return f"{value}"
    return f"{round(100 * value, 1) + 0.0:.1f}%"  # + 0.0: -0.0 prints as 0.0


def num(value: float) -> str:
    """A loss or any other logged number: 4 significant digits (whole numbers from 1,000 to a
    million, where the exponent only gets in the way)."""
    if not math.isfinite(value):
        return f"{value}"
    if 1000 <= abs(value) < 1e6:
        return f"{value:.0f}"
    return f"{value + 0.0:.4g}"


def quote(value: float, metric: str | None) -> str:
    return pct(value) if metric == "accuracy" else num(value)


def gap_points(higher: float, lower: float) -> str:
    """The difference of two accuracies in points, as the difference of the quoted percentages."""
    return f"{round(100 * higher, 1) - round(100 * lower, 1) + 0.0:.1f}"


def change_text(first: float, last: float) -> str:
    """How ``last`` compares to ``first``: "3.2% lower", "0.4% higher", "unchanged"."""
    if first == 0 or not math.isfinite(first) or not math.isfinite(last):
        return "unchanged" if first == last else f"from {num(first)} to {num(last)}"
    change = round(100 * (first - last) / abs(first), 1)
    if not math.isfinite(change):
        return f"from {num(first)} to {num(last)}"
    if change == 0:
        return "unchanged"
    return f"{abs(change):.1f}% {'lower' if change > 0 else 'higher'}"


def ratio(top: float, bottom: float) -> float | None:
    """top / bottom when that is a finite number (a loss of 0 or a NaN has no ratio)."""
    if bottom == 0 or not math.isfinite(top) or not math.isfinite(bottom):
        return None
    result = top / bottom
    return result if math.isfinite(result) else None


def classes_text(run: Run) -> str:
    if not run.num_classes:
        return "classes unknown"
    source = run.num_classes_source or ""
    return f"{run.num_classes} classes, {source}" if source.startswith("inferred") else \
        f"{run.num_classes} classes, from {source}"


def run_from_table(table: dict[str, list], *, num_classes: int | None = None, name: str = "example") -> Run:
    """A Run built from a small table exactly as a Keras CSV of that table would be read."""
    from fitlint.logs.readers.csv_log import table_to_records
    from fitlint.logs.tidy import tidy

    columns = {k: np.array([math.nan if v is None else v for v in vals], dtype="float64") for k, vals in table.items()}
    # In an example, None is a missing cell and float("nan") a real NaN, as in a Keras CSV.
    real_nan = {k: np.array([isinstance(v, float) and math.isnan(v) for v in vals], dtype=bool)
                for k, vals in table.items()}
    recs = table_to_records(columns, [], real_nan)
    tidied, notes = tidy(recs, run=name, source="csv", has_epochs=True)
    run = Run(name=name, path=name, frame=tidied, sources=["csv"], unit="epoch", notes=notes)
    if num_classes:
        run.num_classes, run.num_classes_source = num_classes, "example"
    else:
        k = infer_classes(run)
        if k:
            run.num_classes, run.num_classes_source = k, INFERRED
    return run
