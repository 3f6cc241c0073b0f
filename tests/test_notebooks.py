"""Notebooks: code cells scanned as one program, findings reported by cell and cell line."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint.config import Config
from fitlint.engine import scan_source
from fitlint.notebook import neutralize, read_notebook
from fitlint.rule import all_rules

CELLS = [
    ("markdown", "# Training a classifier\nWe train on sorted data."),
    ("code", "%matplotlib inline\n!pip install torch\nimport torch\nfrom torch import nn, optim\nfrom torch.utils.data import DataLoader"),
    ("code", "model = nn.Linear(8, 2)\noptimizer = optim.SGD(model.parameters(), lr=0.1)\nscheduler = optim.lr_scheduler.StepLR(optimizer, 10)"),
    ("raw", "not python at all ("),
    ("code", "model?\nfiles = !ls data\ntrain_loader = DataLoader(train_set, batch_size=32)"),
    ("code", "def train():\n    for x, y in train_loader:\n        optimizer.zero_grad()\n        nn.functional.cross_entropy(model(x), y).backward()\n        optimizer.step()"),
    ("code", "%%time\nfor epoch in range(5):\n    scheduler.step()\n    train()"),
    ("code", "for epoch in range(3)\n    pass"),
    ("code", "%%bash\nls -l | grep (\necho done"),
]
# (cell, line, code): where the findings must land
EXPECTED = {(5, 3, "FIT101"), (7, 3, "FIT001"), (8, 1, "FIT000")}


def notebook(cells=CELLS, as_string=False) -> str:
    return json.dumps({
        "nbformat": 4, "nbformat_minor": 5, "metadata": {},
        "cells": [
            {"cell_type": kind, "metadata": {}, "source": text if as_string else text.splitlines(keepends=True),
             **({"outputs": [], "execution_count": None} if kind == "code" else {})}
            for kind, text in cells
        ],
    })


def scan(text: str, name: str = "nb.ipynb"):
    return scan_source(name, text, [rule() for rule in all_rules()], Config())


def test_findings_name_the_cell_and_line():
    result = scan(notebook())
    assert {(f.cell, f.line, f.code) for f in result.findings} == EXPECTED
    # both fixes stay inside their cell and touch no IPython line: --fix makes them
    assert {f.code for f in result.findings if f.fix} == {"FIT101", "FIT001"}


def test_string_sources_are_read_like_lists():
    result = scan(notebook(as_string=True))
    assert {(f.cell, f.line, f.code) for f in result.findings} == EXPECTED


def test_neutralize_keeps_line_count_and_indentation():
    source = "%time x = 1\nif x:\n    !ls\n    y = (1\n         % 2)\nfiles = !ls\nobj??"
    out = neutralize(source)
    assert out.count("\n") == source.count("\n")
    assert out.splitlines() == ["pass", "if x:", "    pass", "    y = (1", "         % 2)", "files = None", "pass"]
    assert neutralize("%%writefile config.yaml\nlr: 0.1\n").strip() == ""
    assert neutralize("%%writefile train.py\nimport torch\n").splitlines() == ["pass", "import torch"]


def test_a_python_file_the_notebook_writes_is_read_as_code():
    cells = list(CELLS)
    # the training script is written by the notebook and run with `!python train.py`
    cells[4] = ("code", "%%writefile train.py\n" + CELLS[4][1])
    found = {(f.cell, f.line, f.code) for f in scan(notebook(cells)).findings}
    assert (5, 4, "FIT101") in found
    # a written file that is no Python of this version is left out, with no error of the notebook's
    cells[4] = ("code", "%%writefile train.py\nprint 'hello' + (\n")
    found = {(f.cell, f.line, f.code) for f in scan(notebook(cells)).findings}
    assert (5, 1, "FIT000") not in found and (8, 1, "FIT000") in found


def test_suppression_inside_a_cell_and_ignore_file():
    cells = list(CELLS)
    cells[4] = ("code", "train_loader = DataLoader(train_set, batch_size=32)  # fitlint: ignore[FIT101]")
    assert "FIT101" not in {f.code for f in scan(notebook(cells)).findings if not f.suppressed}
    cells = list(CELLS)
    cells[1] = ("code", "# fitlint: ignore-file[FIT001]\n" + CELLS[1][1])
    codes = {f.code for f in scan(notebook(cells)).findings if not f.suppressed}
    assert "FIT001" not in codes and "FIT101" in codes


@pytest.mark.parametrize(("text", "problem"), [
    ("{not json", "invalid JSON"),
    (json.dumps({"nbformat": 3, "worksheets": []}), "nbformat 3"),
    (json.dumps([1, 2]), "not a valid notebook"),
    (json.dumps({"nbformat": 4, "cells": [{"cell_type": "code", "source": 42}]}), "cell 1"),
])
def test_bad_notebooks_are_one_clear_finding(text, problem):
    (finding,) = scan(text).findings
    assert finding.code == "FIT000" and problem in finding.message


def test_cli_output_formats(tmp_path: Path):
    (tmp_path / "nb.ipynb").write_text(notebook())
    env = {**os.environ, "NO_COLOR": "1"}

    def run(*args):
        return subprocess.run([sys.executable, "-m", "fitlint", "scan", *args], cwd=tmp_path,
                              capture_output=True, text=True, env=env, timeout=120)

    text = run(".").stdout
    assert "nb.ipynb:cell 5:3:16: FIT101 [warning]" in text
    assert "train_loader = DataLoader(train_set, batch_size=32)" in text
    findings = json.loads(run("--format", "json", ".").stdout)
    assert {(f["cell"], f["line"], f["code"]) for f in findings} == EXPECTED
    sarif = json.loads(run("--format", "sarif", ".").stdout)
    messages = [r["message"]["text"] for r in sarif["runs"][0]["results"]]
    assert any(message.startswith("cell 5: ") for message in messages)
    github = run("--format", "github", ".").stdout
    assert "file=nb.ipynb,line=3," in github and "::cell 5: " in github


def test_read_notebook_maps_lines_back():
    program = read_notebook(notebook())
    lines = program.source.splitlines()
    cell, line = program.place(lines.index("train_loader = DataLoader(train_set, batch_size=32)") + 1)
    assert (cell, line) == (5, 3)
    assert 8 not in {cell for cell, _ in program.places}


INDENTED_CELLS = [
    ("code", "import torch\nfrom torch import nn, optim\nfrom torch.utils.data import DataLoader"),
    # pasted from inside a function: every line indented by four spaces; IPython runs it dedented
    ("code", "    model = nn.Linear(8, 2)\n    optimizer = optim.SGD(model.parameters(), lr=0.1)\n"
             "    train_loader = DataLoader(train_set, batch_size=32)\n"
             "    for x, y in train_loader:\n        optimizer.zero_grad()\n"
             "        nn.functional.cross_entropy(model(x), y).backward()\n        optimizer.step()"),
]


def test_a_uniformly_indented_cell_runs_as_ipython_runs_it():
    result = scan(notebook(INDENTED_CELLS))
    assert [(f.code, f.cell, f.line, f.column) for f in result.findings] == [("FIT101", 2, 3, 20)]
    assert "DataLoader(" == INDENTED_CELLS[1][1].splitlines()[2][19:30]


def test_dedent_keeps_lines_and_says_what_it_removed():
    from fitlint.notebook import dedent_cell

    assert dedent_cell("\n  a = 1\n  if a:\n      b = 2\n\nc = 3") == ("\na = 1\nif a:\n    b = 2\n\nc = 3", [0, 2, 2, 2, 0, 0])
    assert dedent_cell("a = 1\n  b") == ("a = 1\n  b", [0, 0])


def test_an_indented_cell_that_does_not_parse_is_reported_where_it_is():
    program = read_notebook(notebook([("code", "    x = 1\n    if x\n        pass")]))
    [error] = program.errors
    assert (error.cell, error.line, error.column) == (1, 2, 9)


PY2_CELLS = [
    ("code", "import torch\nfrom torch import nn, optim\nfrom torch.utils.data import DataLoader"),
    ("code", "train_loader = DataLoader(train_set, batch_size=32)\nprint 'batches per epoch:', len(train_loader)"),
    ("code", "model = nn.Linear(8, 2)\noptimizer = optim.SGD(model.parameters(), lr=0.1)\n"
             "for epoch in range(5):\n    for x, y in train_loader:\n        x = x.cuda(async=True)\n"
             "        optimizer.zero_grad()\n        nn.functional.cross_entropy(model(x), y).backward()\n"
             "        optimizer.step()\n    print 'epoch', epoch"),
]


def test_python2_cells_are_read_and_fixed_without_losing_their_lines():
    from fitlint.engine import fix_source

    text = notebook(PY2_CELLS)
    result = scan(text)
    assert {(f.cell, f.line, f.code) for f in result.findings} == {(2, 1, "FIT101")}
    outcome = fix_source("nb.ipynb", text, [rule() for rule in all_rules()], Config())
    cells = [cell for cell in json.loads(outcome.fixed)["cells"]]
    fixed = "".join(cells[1]["source"])
    assert "shuffle=True" in fixed
    assert "print 'batches per epoch:', len(train_loader)" in fixed  # the cell's own line, not the rewrite
    assert "".join(cells[2]["source"]) == PY2_CELLS[2][1]


def test_a_notebook_committed_under_a_py_name_is_read_as_a_notebook(tmp_path: Path):
    """Colab's "save a copy in GitHub" and renamed downloads commit a notebook's JSON as `.py`:
    read as Python it is one dict literal and nothing is found; it is scanned, and fixed, as the
    notebook it is. A Python file holding a dict with a "cells" key stays Python."""
    result = scan(notebook(), name="nb.py")
    assert {(f.cell, f.line, f.code) for f in result.findings} == EXPECTED
    path = tmp_path / "colab_copy.py"
    path.write_text(notebook())
    fixed = subprocess.run([sys.executable, "-m", "fitlint", "scan", "--fix", "--no-cache", path.name],
                           cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert fixed.returncode in (0, 1), fixed.stderr
    cells = [cell["source"] for cell in json.loads(path.read_text())["cells"]]
    assert any("shuffle=True" in "".join(source) for source in cells)
    python = 'import torch\nlayout = {"cells": [1, 2], "nbformat": "not a notebook"}\nprint(layout)\n'
    assert scan(python, name="layout.py").findings == []
    assert not scan(python, name="layout.py").errors


def test_automagic_lines_are_read_as_ipython_reads_them():
    cells = list(CELLS)
    # `pip install` without `%` or `!`: IPython's automagic runs it; the rest of the cell is code
    cells[4] = ("code", "pip install -q timm\n" + CELLS[4][1])
    found = {(f.cell, f.line, f.code) for f in scan(notebook(cells)).findings}
    assert (5, 4, "FIT101") in found and not any(cell == 5 and code == "FIT000" for cell, _, code in found)
    # a cell that does not parse for another reason is still reported
    cells[4] = ("code", "pip install -q timm\nfor x in y\n    pass")
    found = {(f.cell, f.line, f.code) for f in scan(notebook(cells)).findings}
    assert (5, 2, "FIT000") in found
