"""MLflow file store: ``mlruns/<experiment>/<run>/metrics/<key>``, lines ``timestamp value step``.

Each run folder is one run, named by its ``tags/mlflow.runName`` (else its id). Metric keys may
contain ``/`` (nested folders under ``metrics/``). Older MLflow wrote ``timestamp value`` without a
step: the line number is the step then. MLflow steps are whatever the user passed to
``log_metric(step=...)``; an ``epoch`` metric (Lightning's MLFlowLogger) maps them to epochs.
The class count is read from a ``num_classes`` / ``n_classes`` / ``num_labels`` param.
"""

from __future__ import annotations

import math
from pathlib import Path

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
        rows: dict[str, list] = {"name": [], "epoch": [], "step": [], "value": []}
        errors = []
        for path in sorted(files):
            data = path.read_bytes()
            if looks_binary(data):
                errors.append(f"{path}: binary file (NUL bytes), not an MLflow metric file")
                continue
            key = path.relative_to(root).as_posix()
            for number, line in enumerate(data.decode("utf-8", "replace").splitlines(), start=1):
                cells = line.split()
                if not cells:
                    continue
                try:
                    value = float(cells[1])
                    step = float(cells[2]) if len(cells) > 2 else float(number - 1)
                except (IndexError, ValueError):
                    errors.append(f"{path}: line {number} is not 'timestamp value step'")
                    break
                rows["name"].append(key)
                rows["epoch"].append(math.nan)
                rows["step"].append(step)
                rows["value"].append(value)
        if not rows["name"]:
            if errors:
                raise LogReadError(run_dir, errors[0].split(": ", 1)[1])
            raise LogReadError(run_dir, "MLflow run has no metric values")
        params = {}
        params_dir = run_dir / "params"
        if params_dir.is_dir():
            for param in params_dir.iterdir():
                if param.is_file():
                    params[param.name] = param.read_text(errors="replace").strip()
        return [Piece(self.name, run_dir, records(rows), name=run_name(run_dir), errors=errors,
                      num_classes=class_param(params), has_epochs=False)]
