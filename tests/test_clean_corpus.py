"""Correct training scripts in the shapes people copy most give no finding at all.

tests/clean/ holds realistic, correct scripts written in the styles of the official PyTorch
examples (MNIST, ImageNet with distributed evaluation, the word-level language model, the siamese
network, RNN classification), argparse CIFAR trainers, Lightning modules, Hugging Face-style loops,
beginner loops, GANs, model-zoo files with smoke tests and notebooks, each holding traps a naive
rule would flag. Every file must reach the analysis (pass the prefilter and parse) and give no
finding with the default selection, at any severity.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Iterator

import pytest

from fitlint.analysis.script import Script
from fitlint.config import Config
from fitlint.engine import instantiate, scan_source
from fitlint.findings import Severity
from fitlint.rule import Report, Rule

ROOT = Path(__file__).resolve().parent.parent
CLEAN = ROOT / "tests" / "clean"
FILES = sorted(path for path in CLEAN.iterdir() if path.suffix in (".py", ".ipynb"))


class Analyzed(Rule):
    """Records the files whose analysis the rules received (prefilter passed, parse succeeded)."""

    code = "FIT998"
    name = "analyzed"
    severity = Severity.INFO

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Script] = []

    def check(self, script: Script) -> Iterator[Report]:
        self.seen.append(script)
        return iter(())


def test_the_corpus_covers_the_styles():
    assert len(FILES) >= 40
    assert len([path for path in FILES if path.suffix == ".ipynb"]) >= 3


@pytest.mark.parametrize("path", FILES, ids=[path.name for path in FILES])
def test_a_correct_script_gives_no_finding(path: Path):
    config = Config()
    assert config.severity is Severity.INFO  # every severity counts
    probe = Analyzed()
    rules = instantiate(config, path.name) + [probe]
    result = scan_source(path.name, path.read_text(encoding="utf-8"), rules, config)
    assert not result.errors
    assert len(probe.seen) == 1, "the file never reached the analysis (prefilter or parse)"
    assert [f"{f.line}: {f.code} {f.message}" for f in result.findings] == []


def test_fitlint_scan_reports_nothing_on_the_corpus():
    env = {**os.environ, "NO_COLOR": "1"}
    completed = subprocess.run([sys.executable, "-m", "fitlint", "scan", str(CLEAN)], capture_output=True, text=True,
                               env=env, timeout=300)
    assert completed.returncode == 0, completed.stdout + completed.stderr
    assert f"No findings in {len(FILES)} files" in completed.stdout
