"""Run by .ci/run in a virtual environment that holds fitlint and its runtime dependencies only.

Every module imports, and each command does its work once: a scan that reads a ``[tool.fitlint]``
table (tomli on Python 3.10), a log analysis and an audit. A runtime dependency missing from
pyproject.toml fails here, where no test-only package (pytest brings tomli) can hide it.
"""

from __future__ import annotations

import importlib
import json
import pkgutil
import subprocess
import sys
import tempfile
from pathlib import Path

import fitlint

SCRIPT = """\
import torch
from torch.utils.data import DataLoader

model = torch.nn.Linear(4, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(train_set, batch_size=32)
for epoch in range(3):
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
"""
CONFIG = '[tool.fitlint]\nselect = ["ALL"]\nignore = ["FIT602"]\n'
LOG = "epoch,loss,accuracy,val_loss,val_accuracy\n" + "".join(
    f"{epoch},{1.0 / (epoch + 1):.4f},{0.5 + epoch / 40:.4f},{1.0 + epoch / 10:.4f},0.5000\n" for epoch in range(20)
)


def fitlint_json(*args: str, cwd: Path) -> list:
    done = subprocess.run([sys.executable, "-m", "fitlint", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode not in (0, 1) or done.stderr.strip():
        sys.exit(f"fitlint {' '.join(args)} exited {done.returncode}:\n{done.stderr}")
    return json.loads(done.stdout)


def main() -> None:
    # __main__ runs the command line when imported
    modules = [info.name for info in pkgutil.walk_packages(fitlint.__path__, "fitlint.")
               if not info.name.endswith("__main__")]
    for name in modules:
        importlib.import_module(name)
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "pyproject.toml").write_text(CONFIG)
        (root / "train.py").write_text(SCRIPT)
        (root / "run").mkdir()
        (root / "run" / "training.log.csv").write_text(LOG)
        scan = fitlint_json("scan", "--format", "json", "train.py", cwd=root)
        assert [finding["code"] for finding in scan] == ["FIT101"], scan
        logs = fitlint_json("logs", "--format", "json", "run", cwd=root)
        assert logs and all(finding["code"].startswith("LOG") for finding in logs), logs
        audit = fitlint_json("audit", "train.py", "--logs", "run", "--format", "json", cwd=root)
        assert audit["scan"] and audit["logs"], audit
    print(f"import check: {len(modules)} modules import on Python {sys.version.split()[0]}; "
          f"scan (with [tool.fitlint]), logs and audit ran")


if __name__ == "__main__":
    main()
