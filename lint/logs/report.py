"""Text and JSON output of a LogReport."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from fitlint.findings import Severity
from fitlint.logs.checks.base import quote
from fitlint.logs.readers.hf_trainer import NAN_FILTER_NOTE
from fitlint.logs.run import HF_SOURCE, Run

if TYPE_CHECKING:
    from fitlint.logs.engine import LogReport


def verdict(run: Run, findings: list) -> str:
    if not findings:
        return "no problem found in the curves"
    worst = max(findings, key=lambda f: f.severity.rank)
    names = ", ".join(dict.fromkeys(f.name for f in sorted(findings, key=lambda f: -f.severity.rank)))
    return f"{worst.severity}: {names}"


def _final(run: Run, split: str | None, metric: str) -> str:
    if split is None:
        return "-"
    series = run.series(split, metric)
    if series.empty:
        return "-"
    return quote(float(series.iloc[-1]), metric)


def nan_filter_matters(run: Run, findings: list) -> bool:
    """Whether to say that the Hugging Face Trainer hides NaN losses: only for a Trainer run whose
    curves show trouble that a hidden NaN could explain, with no finite gradient norm to rule it out
    (a NaN loss makes the gradients NaN) and no NaN already reported."""
    if HF_SOURCE not in run.sources or any(f.code == "LOG004" for f in findings):
        return False
    if not any(f.severity.rank >= Severity.WARNING.rank for f in findings):
        return False
    grad_norm = run.series("train", "grad_norm")
    return grad_norm.empty


def text(report: LogReport) -> str:
    out: list[str] = []
    by_run: dict[tuple[str, str], list] = {}
    for finding in report.findings:
        by_run.setdefault((finding.path, finding.run), []).append(finding)
    for run in report.runs:
        findings = sorted(by_run.get((run.path, run.name), []), key=lambda f: f.sort_key())
        points = run.frame[run.frame["metric"].isin(["loss", "accuracy"])][run.unit].nunique()
        splits = ", ".join(sorted(set(run.frame["split"]) - {""}))
        out.append(f"{run.name}  ({run.path}; {'+'.join(run.sources)}; {points} {run.unit}s; {splits})")
        out.append(f"  verdict: {verdict(run, findings)}")
        for finding in findings:
            where = f"{run.unit} {finding.epoch}" if finding.epoch is not None else (
                f"step {finding.evidence.get('step')}" if "step" in finding.evidence else "")
            out.append(f"  {finding.code} [{finding.severity}] {finding.name} ({finding.split} {finding.metric}, {where})")
            out.append(f"      {finding.message}")
        if run.num_classes is None:
            out.append("  note: number of classes unknown (pass --num-classes K) - validation-at-chance not checked")
        if nan_filter_matters(run, findings):
            out.append(f"  note: {NAN_FILTER_NOTE}")
        out.append("")
    if len(report.runs) > 1:
        out.append(summary_table(report, by_run))
    counts = {s: sum(f.severity is s for f in report.findings) for s in Severity}
    out.append(f"{len(report.runs)} run(s), {len(report.findings)} finding(s): "
               f"{counts[Severity.ERROR]} error, {counts[Severity.WARNING]} warning, {counts[Severity.INFO]} info")
    return "\n".join(out)


def summary_table(report: LogReport, by_run: dict) -> str:
    rows = [("run", "train acc", "val acc", "train loss", "val loss", "findings")]
    for run in report.runs:
        codes = " ".join(sorted({f.code for f in by_run.get((run.path, run.name), [])})) or "-"
        heldout = run.heldout
        rows.append((run.name, _final(run, "train", "accuracy"), _final(run, heldout, "accuracy"),
                     _final(run, "train", "loss"), _final(run, heldout, "loss"), codes))
    widths = [max(len(r[i]) for r in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths)).rstrip() for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "summary (last epoch):\n" + "\n".join(lines) + "\n"


def json_text(report: LogReport) -> str:
    return json.dumps(report.to_json(), indent=2)
