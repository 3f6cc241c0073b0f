"""The cycle collector is paused while a file is scanned and restored after, whatever happens."""

from __future__ import annotations

import gc

import pytest

from fitlint.config import Config
from fitlint.engine import instantiate, scan_source

SOURCE = "import torch\nmodel = torch.nn.Linear(2, 2)\nfor x in loader:\n    model(x)\n"


@pytest.mark.parametrize("source", [SOURCE, "import torch\nx = (\n", "\x00"])
def test_the_collector_is_on_again_after_a_scan(source):
    assert gc.isenabled()
    scan_source("train.py", source, instantiate(Config()), Config())
    assert gc.isenabled()


def test_the_collector_is_off_during_the_scan(monkeypatch):
    seen = []
    import fitlint.engine as engine

    original = engine._scan_python

    def spy(*args, **kwargs):
        seen.append(gc.isenabled())
        return original(*args, **kwargs)

    monkeypatch.setattr(engine, "_scan_python", spy)
    scan_source("train.py", SOURCE, instantiate(Config()), Config())
    assert seen == [False]


def test_a_collector_turned_off_by_the_caller_stays_off():
    gc.disable()
    try:
        scan_source("train.py", SOURCE, instantiate(Config()), Config())
        assert not gc.isenabled()
    finally:
        gc.enable()
