"""--jobs: the worker processes take the largest files first, and the results come back in the
files' order, the same as one process gives (benchmarks/bench_parallel.py times it)."""

from __future__ import annotations

import shutil
from pathlib import Path

from fitlint.config import Config
from fitlint.engine import PARALLEL_THRESHOLD, scan_files
from fitlint.files import discover

ROOT = Path(__file__).resolve().parent.parent


def test_workers_give_what_one_process_gives(tmp_path):
    scripts = sorted((ROOT / "tests" / "scripts").glob("*.py"))
    for path in scripts:
        shutil.copy(path, tmp_path / path.name)
    shutil.copy(ROOT / "examples" / "train_notebook.ipynb", tmp_path / "notebook.ipynb")
    (tmp_path / "broken.py").write_text("import torch\ndef f(:\n")
    files = discover([str(tmp_path)], suffixes=(".py", ".ipynb"))[0]
    assert len(files) >= PARALLEL_THRESHOLD
    assert sorted(files, key=lambda file: file.path.stat().st_size) != files  # sizes are out of order
    config = Config(select=("ALL",))
    one = scan_files(files, config, jobs=1)
    two = scan_files(files, config, jobs=2)
    assert [result.findings for result in two] == [result.findings for result in one]
    assert [result.errors for result in two] == [result.errors for result in one] == [[]] * len(files)
    # the texts of files with findings come back for their snippets; the others need none
    assert [result.sources for result in two] == [result.sources if result.findings else {} for result in one]
    assert sum(len(result.findings) for result in one) > 20
