"""`--fix` and `--diff` on notebooks: the cell's source changes, every other byte of the file stays."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from fitlint.config import Config
from fitlint.engine import fix_source, scan_source
from fitlint.fixes.edits import insert_after, statement_line
from fitlint.notebook import read_notebook, source_spans, with_cell_sources
from fitlint.rule import Fix, Report, Rule, all_rules
from fitlint.analysis.script import Script

# A training notebook as Jupyter saves it: outputs (a stream, an image, a result, an error),
# execution counts, cell ids (nbformat 4.5), kernel metadata, non-ASCII text.
CELLS = [
    ("markdown", "# Chiffres manuscrits\nUn MLP sur des données triées par classe: ça « marche » ?"),
    ("code", "%matplotlib inline\n!pip install -q torch\nimport torch\nfrom torch import nn, optim\n"
             "from torch.utils.data import DataLoader, TensorDataset"),
    ("code", "model = nn.Sequential(nn.Linear(64, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10))\n"
             "criterion = nn.CrossEntropyLoss()\noptimizer = optim.Adam(model.parameters(), lr=1e-3)"),
    ("code", "train_loader = DataLoader(train_set, batch_size=64)  # the training data\n"
             "val_loader = DataLoader(val_set, batch_size=256)"),
    ("code", "for epoch in range(10):\n    model.train()\n    for xb, yb in train_loader:\n        optimizer.zero_grad()\n"
             "        loss = criterion(model(xb), yb)\n        loss.backward()\n        optimizer.step()\n"
             "    print(f\"époque {epoch}: {loss.item():.3f}\")"),
    # the evaluation loop is the cell's first statement: model.eval() must land in this cell
    ("code", "with torch.no_grad():\n    for xb, yb in val_loader:\n        correct = (model(xb).argmax(1) == yb).sum().item()\n"
             "print(correct)"),
]
OUTPUTS = {
    2: [{"name": "stdout", "output_type": "stream", "text": ["Requirement already satisfied: torch\n"]}],
    4: [{"name": "stdout", "output_type": "stream", "text": ["époque 0: 2.301\n", "époque 1: 1.127\n"]},
        {"data": {"image/png": "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR4nGNgYGD4DwABBAEAwS2OUAAAAABJRU5ErkJggg==",
                  "text/plain": ["<Figure size 640x480 with 1 Axes>"]},
         "metadata": {"needs_background": "light"}, "output_type": "display_data"}],
    5: [{"data": {"text/plain": ["tensor(97)"]}, "execution_count": 6, "metadata": {}, "output_type": "execute_result"},
        {"ename": "NameError", "evalue": "name 'x' is not defined", "output_type": "error",
         "traceback": ["\u001b[0;31mNameError\u001b[0m: name 'x' is not defined"]}],
}


def notebook_document(cells=CELLS, as_string=False) -> dict:
    out = []
    for number, (kind, text) in enumerate(cells):
        cell = {"cell_type": kind, "id": f"c{number:04x}", "metadata": {"tags": []},
                "source": text if as_string else text.splitlines(keepends=True)}
        if kind == "code":
            cell["execution_count"] = number
            cell["outputs"] = OUTPUTS.get(number, [])
        out.append(cell)
    return {"cells": out, "metadata": {
        "kernelspec": {"display_name": "Python 3 (ipykernel)", "language": "python", "name": "python3"},
        "language_info": {"codemirror_mode": {"name": "ipython", "version": 3}, "name": "python",
                          "version": "3.11.4"}}, "nbformat": 4, "nbformat_minor": 5}


def jupyter_text(document: dict, **dumps) -> str:
    """As Jupyter writes a notebook (nbformat.write): sorted keys, indent 1, raw UTF-8, final newline."""
    options = {"indent": 1, "sort_keys": True, "ensure_ascii": False, **dumps}
    return json.dumps(document, **options) + "\n"


STYLES = {
    "jupyter": {},
    "indent-2": {"indent": 2},
    "indent-4-unsorted": {"indent": 4, "sort_keys": False},
    "one-line": {"indent": None},
    "ascii-escapes": {"ensure_ascii": True},
}


def _rules():
    return [rule() for rule in all_rules()]


@pytest.mark.parametrize("as_string", [False, True], ids=["lines", "string"])
@pytest.mark.parametrize("style", STYLES)
def test_round_trip_without_fixes_is_byte_identical(style, as_string):
    text = jupyter_text(notebook_document(as_string=as_string), **STYLES[style])
    program = read_notebook(text)
    assert with_cell_sources(text, {}) == text
    # writing every code cell's own source back changes no byte
    assert with_cell_sources(text, dict(program.cells)) == text
    assert sorted(source_spans(text)) == list(range(1, len(CELLS) + 1))


@pytest.mark.parametrize("as_string", [False, True], ids=["lines", "string"])
@pytest.mark.parametrize("style", STYLES)
def test_fix_changes_only_the_fixed_cells_sources(style, as_string):
    document = notebook_document(as_string=as_string)
    text = jupyter_text(document, **STYLES[style])
    outcome = fix_source("nb.ipynb", text, _rules(), Config())
    assert outcome.problems == []
    assert [cell for cell, _, _ in outcome.cells] == [4, 6]
    fixed = json.loads(outcome.fixed)
    sources = {number: "".join(cell["source"]) for number, cell in enumerate(fixed["cells"], 1)}
    assert sources[4] == CELLS[3][1].replace("batch_size=64)", "batch_size=64, shuffle=True)")
    assert sources[6] == "model.eval()\n" + CELLS[5][1]
    # the cell that follows the training cell is untouched: the insertion landed in its own cell
    assert sources[5] == CELLS[4][1]
    # everything else is the same document, in the same bytes outside the two sources
    for number in (4, 6):
        fixed["cells"][number - 1]["source"] = document["cells"][number - 1]["source"]
    assert fixed == document
    spans, fixed_spans = source_spans(text), source_spans(outcome.fixed)
    assert text[:spans[4][0]] == outcome.fixed[:fixed_spans[4][0]]
    assert text[spans[4][1]:spans[6][0]] == outcome.fixed[fixed_spans[4][1]:fixed_spans[6][0]]
    assert text[spans[6][1]:] == outcome.fixed[fixed_spans[6][1]:]
    # the style of the file is kept: the fixed text is what the same writer makes of the fixed document
    if not as_string:
        assert outcome.fixed == jupyter_text(json.loads(outcome.fixed), **STYLES[style])
    again = fix_source("nb.ipynb", outcome.fixed, _rules(), Config())
    assert again.fixed == outcome.fixed and again.applied == 0


def test_ipython_lines_are_kept_and_never_touched():
    cells = list(CELLS)
    # the evaluation loop holds a shell escape: wrapping it would re-indent that line, so FIT202
    # offers no fix here, while FIT201's insertion above the loop is fine
    cells[5] = ("code", "for xb, yb in val_loader:\n    !nvidia-smi\n    print(model(xb).argmax(1))")
    text = jupyter_text(notebook_document(cells))
    scanned = {f.code: f for f in scan_source("nb.ipynb", text, _rules(), Config()).findings}
    assert scanned["FIT202"].fix is None and scanned["FIT201"].fix is not None
    outcome = fix_source("nb.ipynb", text, _rules(), Config(), unsafe=True)
    sources = {number: "".join(cell["source"]) for number, cell in enumerate(json.loads(outcome.fixed)["cells"], 1)}
    assert sources[2] == CELLS[1][1]  # the magics of cell 2 are still there
    assert sources[6] == "model.eval()\n" + cells[5][1]
    assert "FIT202" in {f.code for f in outcome.result.findings}


def test_cell_magic_cell_is_fixed_below_its_magic():
    cells = list(CELLS)
    cells[4] = ("code", "%%time\n" + CELLS[4][1].replace("    model.train()\n", "    scheduler.step()\n    model.train()\n"))
    cells[2] = ("code", CELLS[2][1] + "\nscheduler = optim.lr_scheduler.StepLR(optimizer, 5)")
    text = jupyter_text(notebook_document(cells))
    outcome = fix_source("nb.ipynb", text, _rules(), Config())
    source = "".join(json.loads(outcome.fixed)["cells"][4]["source"])
    assert source.startswith("%%time\nfor epoch in range(10):\n    model.train()\n")
    assert "optimizer.step()\n    scheduler.step()\n" in source
    assert "FIT001" not in {f.code for f in outcome.result.findings}


class SpansCells(Rule):
    """Test-only: flags the DataLoader of cell 4 and inserts a line after a statement of cell 3."""

    code = "FIT993"
    name = "test-spans-cells"
    fixable = True

    def check(self, script: Script):
        loader = next(site for site in script.calls if site.name == "DataLoader")
        optimizer = next(a for a in script.assigns if a.target == "optimizer")
        yield Report(loader.node, "spans", statement=loader.statement, fix=Fix("two cells", (
            insert_after(loader.statement, statement_line("a = 1")),
            insert_after(optimizer.statement, statement_line("b = 2")))))


def test_a_fix_across_cells_is_refused():
    text = jupyter_text(notebook_document())
    (finding,) = scan_source("nb.ipynb", text, [SpansCells()], Config()).findings
    assert finding.fix is None
    outcome = fix_source("nb.ipynb", text, [SpansCells()], Config())
    assert outcome.fixed == text and outcome.problems == []


def _fitlint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fitlint", "scan", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, input=stdin, env={**os.environ, "NO_COLOR": "1"})


def test_cli_diff_names_the_cell_and_fix_writes_the_notebook(tmp_path: Path):
    text = jupyter_text(notebook_document())
    path = tmp_path / "nb.ipynb"
    path.write_text(text, encoding="utf-8")
    diff = _fitlint("--diff", "nb.ipynb", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout.startswith("--- a/nb.ipynb:cell 4\t\n+++ b/nb.ipynb:cell 4\t\n@@ -1,2 +1,2 @@\n")
    assert "+train_loader = DataLoader(train_set, batch_size=64, shuffle=True)  # the training data\n" in diff.stdout
    assert "--- a/nb.ipynb:cell 6\t\n" in diff.stdout and "+model.eval()\n" in diff.stdout
    assert "No newline" not in diff.stdout
    assert path.read_text(encoding="utf-8") == text
    fixed = _fitlint("--fix", "nb.ipynb", cwd=tmp_path)
    assert "fixed 2 findings in 1 file" in fixed.stderr
    assert path.read_text(encoding="utf-8") == fix_source("nb.ipynb", text, _rules(), Config()).fixed
    assert _fitlint("--diff", "nb.ipynb", cwd=tmp_path).stdout == ""
    # from stdin, --fix prints the fixed notebook
    piped = _fitlint("--fix", "-", "--stdin-filename", "nb.ipynb", cwd=tmp_path, stdin=text)
    assert piped.stdout == path.read_text(encoding="utf-8")


def test_neutralized_program_parses():
    # the marker lines the fix loop adds do not change what the cells mean
    from fitlint.fixes.notebook import marked_program

    marked = marked_program(read_notebook(jupyter_text(notebook_document())))
    cst.parse_module(marked.text)
    assert marked.text.count("# <<fitlint cell ") == 5
