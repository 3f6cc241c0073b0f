"""No file can stall a scan: the analysis of a script grows about linearly with the script.

Issue 18: a notebook that reassigns ``model = model.train()`` / ``model = model.eval()`` around
its training and evaluation blocks took seconds for three blocks and minutes for four, because the
model analysis followed every binding of the name again at each step. Each input here is grown
(10, 50, 200 blocks) and the work is counted, not timed: a step is a call of a function of
fitlint's own code (the analysis and the rules), counted by the profiler, so a blow-up anywhere in
them shows, while the machine's speed does not. Linear work grows 4x from 50 to 200 blocks; an
analysis that enumerates paths grows exponentially, a quadratic one 16x.
"""

from __future__ import annotations

import cProfile
import json
import pstats
from pathlib import Path

import pytest

import fitlint
import fitlint.rules
from fitlint.config import Config
from fitlint.engine import instantiate, scan_source

SIZES = (10, 50, 200)  # the issue's: blocks of training and evaluation
SMALLER = (6, 24, 96)  # the other shapes, to keep the suite quick
# how much more than the input may the work grow from one size to the next
SLACK = 1.5
OWN_CODE = (str(Path(fitlint.__file__).parent), str(Path(fitlint.rules.__file__).parent))

HEAD = """import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.5), nn.BatchNorm1d(10), nn.Linear(10, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
"""

# the reproduction, repeated
BLOCK = """model = model.train()
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
model = model.eval()
with torch.no_grad():
    for x, y in val_loader:
        out = model(x)
"""


def reassigned_blocks(n: int) -> str:
    return HEAD + BLOCK * n


def reassigned_blocks_without_no_grad(n: int) -> str:
    """Every evaluation block builds graphs: one FIT202 a block, so the analysis is shown to
    follow `model` through all the reassignments."""
    return HEAD + BLOCK.replace("with torch.no_grad():\n    for x, y in val_loader:\n        out = model(x)\n",
                                "for x, y in val_loader:\n    out = model(x)\n") * n


def notebook_cells(n: int) -> str:
    cells = [HEAD] + [BLOCK] * n
    return json.dumps({
        "cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                   "source": cell.splitlines(keepends=True)} for cell in cells],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5,
    })


def helpers_calling_each_other(n: int) -> str:
    """Each evaluation helper calls the next two, and the epoch loop calls all of them: the mode
    and gradient state at a helper's entry comes through every path of callers."""
    out = [HEAD]
    for i in range(n):
        calls = "".join(f"    evaluate{j}(net, loader)\n" for j in (i + 1, i + 2) if j < n)
        out.append(f"def evaluate{i}(net, loader):\n    for x, y in loader:\n        out = net(x)\n{calls}\n")
    out.append("for epoch in range(10):\n    model.train()\n    for x, y in train_loader:\n"
               "        optimizer.zero_grad()\n        criterion(model(x), y).backward()\n        optimizer.step()\n")
    out += [f"    model.eval()\n    evaluate{i}(model, val_loader)\n" for i in range(n)]
    return "".join(out)


def attribute_reassigned_in_methods(n: int) -> str:
    out = [HEAD, "class Trainer:\n    def __init__(self, model):\n        self.model = model\n"]
    for i in range(n):
        out.append(f"    def epoch{i}(self):\n        self.model = self.model.train()\n"
                   "        for x, y in train_loader:\n            optimizer.zero_grad()\n"
                   "            criterion(self.model(x), y).backward()\n            optimizer.step()\n"
                   "        self.model = self.model.eval()\n        with torch.no_grad():\n"
                   f"            outs = [self.model(x) for x, _ in val_loader]\n        self.epoch{(i + 1) % n}()\n")
    out.append("Trainer(model).epoch0()\n")
    return "".join(out)


def nested_model_classes(n: int) -> str:
    """Each block class holds four instances of the one before and returns a softmax: layers and
    output chains are worked out per class, not per instance (4^n)."""
    out = [HEAD, "class Block0(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                 "        self.fc = nn.Linear(10, 10)\n    def forward(self, x):\n        return self.fc(x)\n\n"]
    for i in range(1, n):
        out.append(f"class Block{i}(nn.Module):\n    def __init__(self):\n        super().__init__()\n"
                   f"        self.a = Block{i - 1}()\n        self.b = Block{i - 1}()\n"
                   f"        self.seq = nn.Sequential(Block{i - 1}(), nn.ReLU(), Block{i - 1}())\n"
                   "    def forward(self, x):\n        h = self.a(x) if self.flag else self.b(x)\n"
                   "        return F.softmax(self.seq(h), dim=1)\n\n")
    out.append(f"model = Block{n - 1}()\n" + BLOCK + "loss = criterion(model(x), y)\n")
    return "".join(out)


def data_built_from_each_other(n: int) -> str:
    """Four arrays, each rebuilt n times from the other three, then split by position: whether the
    split data was shuffled is asked through every array it is built from."""
    names = ["xa", "xb", "xc", "xd"]
    body = [f"{name} = np.concatenate([{', '.join(other for other in names if other != name)}])\n"
            for _ in range(n) for name in names]
    return (HEAD + "xa = xb = xc = xd = np.load('x.npy')\n" + "".join(body)
            + "x_train, x_val = xa[:800], xa[800:]\n")


def steps(display: str, source: str) -> tuple[int, list[str]]:
    """The calls of fitlint's own functions while scanning ``source`` with every rule, and the
    codes found."""
    # a budget far above what any size takes, so that a blow-up fails the test instead of hanging it
    config = Config(select=("ALL",), file_timeout=30)
    rules = instantiate(config, display)
    profile = cProfile.Profile()
    profile.enable()
    result = scan_source(display, source, rules, config)
    profile.disable()
    assert result.errors == [] and result.notices == []
    counted = sum(calls for (path, _, _), (_, calls, *_) in pstats.Stats(profile).stats.items()
                  if path.startswith(OWN_CODE))
    return counted, sorted(finding.code for finding in result.findings)


def expect_count(code: str):
    """Each size must find ``code`` once per block: the analysis reached every block."""
    return lambda codes, size: codes.count(code) == size


def expect_none_of(*codes: str):
    """The issue's blocks are correct code: nothing about modes or gradients may be reported."""
    return lambda found, size: not set(found) & set(codes)


CASES = {
    "reassigned_blocks": (reassigned_blocks, "script.py", expect_none_of("FIT201", "FIT202", "FIT203")),
    "reassigned_blocks_without_no_grad": (reassigned_blocks_without_no_grad, "script.py", expect_count("FIT202")),
    "notebook_cells": (notebook_cells, "notebook.ipynb", expect_none_of("FIT201", "FIT202", "FIT203")),
    "helpers_calling_each_other": (helpers_calling_each_other, "script.py", expect_count("FIT202")),
    "attribute_reassigned_in_methods": (attribute_reassigned_in_methods, "script.py",
                                        expect_none_of("FIT201", "FIT202", "FIT203")),
    "nested_model_classes": (nested_model_classes, "script.py", lambda codes, size: "FIT302" in codes),
    "data_built_from_each_other": (data_built_from_each_other, "script.py", lambda codes, size: "FIT102" in codes),
}


@pytest.mark.parametrize("name", CASES)
def test_the_analysis_grows_about_linearly(name):
    make, display, expected = CASES[name]
    sizes = SIZES if name.startswith("reassigned_blocks") else SMALLER
    counts = {}
    for size in sizes:
        counts[size], codes = steps(display, make(size))
        assert expected(codes, size), (size, codes)
    for small, large in zip(sizes, sizes[1:]):
        assert counts[large] / counts[small] <= SLACK * large / small, counts
