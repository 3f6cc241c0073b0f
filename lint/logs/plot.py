"""``--plot DIR``: one PNG per run with the curves and the findings marked (matplotlib, optional)."""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING

from fitlint.findings import Severity

if TYPE_CHECKING:
    from fitlint.logs.engine import LogReport

MISSING = "--plot needs matplotlib: pip install 'fitlint[plot]' (the analysis below ran without plots)"


def have_matplotlib() -> bool:
    try:
        import matplotlib  # noqa: F401
    except ImportError:
        return False
    return True


def plot(report: LogReport, directory: str) -> list[Path]:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    out_dir = Path(directory)
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for run in report.runs:
        fig, (ax_loss, ax_acc) = plt.subplots(1, 2, figsize=(11, 4))
        for split in sorted(set(run.frame["split"])):
            for metric, ax in (("loss", ax_loss), ("accuracy", ax_acc)):
                series = run.series(split, metric)
                if not series.empty:
                    ax.plot(series.index, series.to_numpy(), label=split)
        ax_loss.set_yscale("symlog", linthresh=1e-2)
        for finding in report.findings:
            if finding.run != run.name or finding.path != run.path:
                continue
            x = finding.epoch if finding.epoch is not None else finding.evidence.get("step")
            if x is None:
                continue
            ax = ax_acc if finding.metric == "accuracy" else ax_loss
            ax.axvline(x, color="red" if finding.severity is Severity.ERROR else "orange", linestyle="--", linewidth=1)
            ax.annotate(finding.code, (x, 1), xycoords=("data", "axes fraction"), rotation=90, va="top", fontsize=8)
        for ax, title in ((ax_loss, "loss"), (ax_acc, "accuracy")):
            ax.set_title(f"{run.name}: {title}")
            ax.set_xlabel(run.unit)
            if ax.lines:
                ax.legend(fontsize=8)
        fig.tight_layout()
        name = re.sub(r"[^A-Za-z0-9_.-]+", "_", run.name).strip("_") or "run"
        path = out_dir / f"{name}.png"
        fig.savefig(path, dpi=80)
        plt.close(fig)
        written.append(path)
    return written
