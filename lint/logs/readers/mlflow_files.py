"""MLflow file store: ``mlruns/<experiment>/<run>/metrics/<key>``, lines ``timestamp value step``.

Each run folder is one run, named by its ``tags/mlflow.runName`` (else its id). Metric keys may
contain ``/`` (nested folders under ``metrics/``). Older MLflow wrote ``timestamp value`` without a
step: the line number is the step then. MLflow steps are whatever the user passed to
``log_metric(step=...)``; an ``epoch`` metric (Lightning's MLFlowLogger) maps them to epochs.
The class count is read from a ``num_classes`` / ``n_classes`` / ``num_labels`` param.
"""

from __future__ import annotations

import io
from pathlib import Path

import numpy as np
import pandas as pd

from fitlint.logs.readers.base import LogReadError, Piece, Reader as BaseReader, looks_binary, records

CLASS_PARAMS = ("num_classes", "n_classes", "num_labels", "classes", "nclasses")


def _metrics_root(path: Path) -> Path | None:
    for parent in path.parents:
        if parent.name == "metrics" and (parent.parent / "meta.yaml").is_file():
            return parent
    return None


def run_name(run_dir: Path) -> str:
    tag = run_dir / "tags" / "mlflow.runName"
    try:
        name = tag.read_text().strip()
    except OSError:
        name = ""
    return name or run_dir.name


def class_param(values: dict[str, str]) -> int | None:
    for key in CLASS_PARAMS:
        try:
            k = int(float(values[key]))
        except (KeyError, ValueError):
            continue
        if k >= 2:
            return k
    return None


class Reader(BaseReader):
    name = "mlflow"
    priority = 35
    grouped = True

    def claims(self, path: Path, head: bytes) -> bool:
        return _metrics_root(path) is not None

    def run_key(self, path: Path) -> Path:
        return _metrics_root(path).parent

    def read(self, files: list[Path]) -> list[Piece]:
        run_dir = self.run_key(files[0])
        root = run_dir / "metrics"
        parts = []
        errors = []
        for path in sorted(files):
            data = path.read_bytes()
            if looks_binary(data):
                errors.append(f"{path}: binary file (NUL bytes), not an MLflow metric file")
                continue
            points, error = metric_points(data)
            if error is not None:
                errors.append(f"{path}: {error}")
            if len(points):
                key = path.relative_to(root).as_posix()
                parts.append(records(key, points[:, 1], step=points[:, 2]))
        if not parts:
            if errors:
                raise LogReadError(run_dir, errors[0].split(": ", 1)[1])
            raise LogReadError(run_dir, "MLflow run has no metric values")
        params = {}
        params_dir = run_dir / "params"
        if params_dir.is_dir():
            for param in params_dir.iterdir():
                if param.is_file():
                    params[param.name] = param.read_text(errors="replace").strip()
        recs = pd.concat(parts, ignore_index=True)
        recs["name"] = recs["name"].astype("category")
        return [Piece(self.name, run_dir, recs, name=run_name(run_dir), errors=errors,
                      num_classes=class_param(params), has_epochs=False)]


def metric_points(data: bytes) -> tuple[np.ndarray, str | None]:
    """The ``timestamp value step`` lines of one metric file as rows (the line number is the step
    of an old two-column file), and what stopped the reading, if anything: the lines before a bad
    one are kept."""
    text = data.decode("utf-8", "replace")
    error = None
    try:
        rows = np.loadtxt(io.StringIO(text), ndmin=2)
    except ValueError:
        lines = text.splitlines()
        bad = first_bad_line(lines)
        error = f"line {bad + 1} is not 'timestamp value step'"
        rows = np.loadtxt(io.StringIO("\n".join(lines[:bad])), ndmin=2) if bad else np.zeros((0, 3))
    if rows.shape[1] == 2:
        rows = np.column_stack([rows, np.arange(len(rows), dtype="float64")])
    if rows.shape[1] != 3:
        return np.zeros((0, 3)), "lines are not 'timestamp value step'"
    return rows, error


def first_bad_line(lines: list[str]) -> int:
    """The index of the first line that numpy.loadtxt refuses: not numbers, or not as many of them
    as the first line (only called once loadtxt has said there is one)."""
    width = None
    for number, line in enumerate(lines):
        cells = line.split()
        if not cells:
            continue
        try:
            [float(cell) for cell in cells]
        except ValueError:
            return number
        width = width or len(cells)
        if len(cells) != width:
            return number
    return len(lines)
