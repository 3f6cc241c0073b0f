"""``fitlint audit``: every link of the table on a script and a log that show it, the three kinds of
result (confirmed, not explained by the script, not visible in the logs), the output formats, the
project files followed through imports, and bad input.

Fixtures live in tests/audit/: scripts/ plant one mistake each (the line marked ``# FITxxx``), runs/
are copies of the real H200 reference runs (../shared/reference-runs) plus two hand-written curves
for symptoms no reference run shows (tests/audit/README.md).
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from fitlint.audit.link import link
from fitlint.audit.project import local_imports
from fitlint.audit.render import NOTHING_FOUND
from fitlint.audit.table import SYMPTOMS, UNSEEN_CAUSES, links, markdown_table, symptoms_by_code, unseen_table
from fitlint.cli import app
from fitlint.logs.checks.base import all_checks
from fitlint.rule import rules_by_code

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "audit"
SCRIPTS, RUNS = FIXTURES / "scripts", FIXTURES / "runs"
MARKER = re.compile(r"#\s*(FIT\d{3})\b")

# For each link of the table: the script that plants the mistake and the run that shows the symptom
# (the run whose planted mistake matches the script where a reference run has that symptom).
LINK_FIXTURES = {
    ("LOG002", "FIT103"): ("labels_shuffled.py", "random_labels_binary-s0"),
    ("LOG002", "FIT102"): ("unshuffled_split.py", "unshuffled_split-s0"),
    ("LOG002", "FIT201"): ("missing_eval.py", "random_labels_binary-s0"),
    ("LOG002", "FIT101"): ("unshuffled_loader.py", "unshuffled_split-s0"),
    ("LOG001", "FIT201"): ("missing_eval.py", "missing_eval-s0"),
    ("LOG001", "FIT203"): ("eval_mode_kept.py", "overfit_small-s0"),
    ("LOG001", "FIT103"): ("labels_shuffled.py", "random_labels_binary-s0"),
    ("LOG001", "FIT602"): ("no_regularization.py", "overfit_small-s0"),
    ("LOG001", "FIT102"): ("unshuffled_split.py", "unshuffled_split-s0"),
    ("LOG003", "FIT103"): ("labels_shuffled.py", "random_labels_binary-s0"),
    ("LOG003", "FIT602"): ("no_regularization.py", "random_labels_binary-s0"),
    ("LOG003", "FIT203"): ("eval_mode_kept.py", "random_labels_binary-s0"),
    ("LOG004", "FIT501"): ("no_zero_grad.py", "no_zero_grad-s0"),
    ("LOG004", "FIT505"): ("lr_high.py", "lr_high-s0"),
    ("LOG004", "FIT401"): ("unnormalized.py", "lr_high-s0"),
    ("LOG005", "FIT501"): ("no_zero_grad.py", "no_zero_grad-s0"),
    ("LOG005", "FIT505"): ("lr_high.py", "no_zero_grad-s0"),
    ("LOG005", "FIT401"): ("unnormalized.py", "no_zero_grad-s0"),
    ("LOG006", "FIT503"): ("frozen.py", "lr_low-s0"),
    ("LOG006", "FIT505"): ("lr_low.py", "lr_low-s0"),
    ("LOG006", "FIT401"): ("unnormalized.py", "lr_low-s0"),
    ("LOG007", "FIT002"): ("sched_per_iter.py", "sched_per_iter-s0"),
    ("LOG007", "FIT302"): ("double_softmax.py", "double_softmax-s0"),
    ("LOG007", "FIT301"): ("relu_before_softmax.py", "double_softmax-s0"),
    ("LOG007", "FIT505"): ("lr_high.py", "no_normalization_bc-s0"),
    ("LOG007", "FIT401"): ("unnormalized.py", "no_normalization_bc-s0"),
    ("LOG008", "FIT505"): ("lr_high.py", "oscillating"),
    ("LOG008", "FIT504"): ("bn_small_batch.py", "oscillating"),
    ("LOG009", "FIT301"): ("relu_before_softmax.py", "no_normalization_bc-s0"),
    ("LOG009", "FIT401"): ("unnormalized.py", "no_normalization_bc-s0"),
    ("LOG009", "FIT505"): ("lr_high.py", "no_normalization_bc-s0"),
    ("LOG011", "FIT003"): ("plateau_no_metric.py", "plateau_constant_lr"),
    ("LOG002", "FIT402"): ("aug_eval_transform.py", "unshuffled_split-s0"),
    ("LOG001", "FIT402"): ("aug_eval_transform.py", "missing_eval-s0"),
    ("LOG001", "FIT601"): ("selected_on_test_split.py", "overfit_small-s0"),
    ("LOG010", "FIT603"): ("val_on_train.py", "sched_per_iter-s0"),
}


def audit(*args: object):
    return CliRunner().invoke(app, ["audit", *map(str, args)])


def audit_json(*args: object) -> dict:
    result = audit(*args, "--format", "json")
    assert result.exit_code in (0, 1), result.output
    return json.loads(result.stdout)


def marked_lines(path: Path, code: str) -> list[int]:
    """The lines of ``path`` marked with ``# CODE``: where the scanner must report it."""
    return [n for n, line in enumerate(path.read_text().splitlines(), 1) if code in MARKER.findall(line)]


# ---------------------------------------------------------------- the table


def test_every_code_in_the_table_exists_with_its_name():
    rules, checks = rules_by_code(), {c.code: c for c in all_checks()}
    for symptom in SYMPTOMS:
        assert symptom.log_code in checks, f"{symptom.log_code} is not a log check"
        assert checks[symptom.log_code].name == symptom.log_name
        for cause in symptom.causes:
            assert cause.scan_code in rules, f"{cause.scan_code} ({symptom.log_code}) is not a rule"
            assert rules[cause.scan_code].name == cause.scan_name
            assert cause.explanation.strip()
        assert symptom.unseen and set(symptom.unseen) <= set(UNSEEN_CAUSES)


def test_every_log_check_has_an_entry():
    # An unlisted check would be reported as unexplained with nothing to check.
    assert {c.code for c in all_checks()} == set(symptoms_by_code())


def test_each_link_is_listed_once():
    pairs = [(log, scan) for log, scan, _ in links()]
    assert len(pairs) == len(set(pairs))


def test_every_link_has_a_script_and_a_log():
    assert set(LINK_FIXTURES) == {(log, scan) for log, scan, _ in links()}


def test_the_audit_page_renders_the_tables():
    page = (ROOT / "docs" / "audit.md").read_text()
    assert markdown_table() in page
    assert unseen_table() in page


# ---------------------------------------------------------------- each link end to end


@pytest.mark.parametrize(("log_code", "scan_code"), sorted(LINK_FIXTURES))
def test_link(log_code, scan_code):
    script_name, run_name = LINK_FIXTURES[(log_code, scan_code)]
    script = SCRIPTS / script_name
    lines = marked_lines(script, scan_code)
    assert lines, f"{script_name} marks no line with {scan_code}"
    data = audit_json(script, "--logs", RUNS / run_name)
    assert log_code in {f["code"] for f in data["logs"]}, f"{run_name} does not show {log_code}"
    found = [(item["path"], item["line"]) for item in data["links"]
             if item["log_code"] == log_code and item["scan_code"] == scan_code]
    assert found == [(str(script), line) for line in lines]
    explanation = dict(((log, scan), text) for log, scan, text in links())[(log_code, scan_code)]
    assert all(item["explanation"] == explanation for item in data["links"]
               if item["log_code"] == log_code and item["scan_code"] == scan_code)


# ---------------------------------------------------------------- the three kinds of result


def test_nothing_found_says_so_plainly():
    result = audit(SCRIPTS / "clean.py", "--logs", RUNS / "clean-s0")
    assert result.exit_code == 0, result.output
    assert NOTHING_FOUND in result.stdout
    data = audit_json(SCRIPTS / "clean.py", "--logs", RUNS / "clean-s0")
    assert (data["scan"], data["logs"], data["links"]) == ([], [], [])


def test_symptom_without_a_static_cause_lists_the_unseen_causes():
    script = SCRIPTS / "clean.py"
    result = audit(script, "--logs", RUNS / "random_labels_binary-s0")
    assert result.exit_code == 1
    data = audit_json(script, "--logs", RUNS / "random_labels_binary-s0")
    assert data["links"] == []
    unexplained = {u["log_code"]: u for u in data["unexplained"]}
    assert set(unexplained) == {f["code"] for f in data["logs"]} and "LOG002" in unexplained
    expected = [UNSEEN_CAUSES[key] for key in symptoms_by_code()["LOG002"].unseen]
    assert [c["cause"] for c in unexplained["LOG002"]["unseen_causes"]] == [c.title for c in expected]
    section = result.stdout.split("NOT EXPLAINED BY THE SCRIPT")[1]
    for cause in expected:
        assert cause.title in section and cause.check in section


def test_static_finding_without_its_symptom_is_not_visible():
    # The seed's own mistake on the binary task: the last 20% was all one class the model had also
    # trained on, so the curves look healthy (reference run unshuffled_split_binary).
    script = SCRIPTS / "unshuffled_split.py"
    result = audit(script, "--logs", RUNS / "unshuffled_split_binary-s0")
    assert result.exit_code == 1
    line = marked_lines(script, "FIT102")[0]
    section = result.stdout.split("NOT VISIBLE IN THESE LOGS")[1]
    assert f"{script}:{line}:" in section and "FIT102" in section
    data = audit_json(script, "--logs", RUNS / "unshuffled_split_binary-s0")
    assert data["links"] == [] and data["logs"] == []
    [entry] = data["not_visible"]
    expected = [s.log_code for s in SYMPTOMS if any(c.scan_code == "FIT102" for c in s.causes)]
    assert (entry["scan_code"], entry["line"], entry["would_show_as"]) == ("FIT102", line, expected)


def test_a_finding_with_no_curve_signature_says_so(tmp_path):
    source = (SCRIPTS / "missing_eval.py").read_text().replace("with torch.no_grad():", "if True:")
    (tmp_path / "train.py").write_text(source)
    data = audit_json(tmp_path / "train.py", "--logs", RUNS / "clean-s0")
    codes = {n["scan_code"]: n["would_show_as"] for n in data["not_visible"]}
    assert codes["FIT202"] == []  # eval-without-no-grad costs memory, not accuracy
    assert codes["FIT201"] != []


def test_ranking_confirmed_then_unexplained_then_not_visible():
    script = ROOT / "examples" / "train_seed.py"
    run = RUNS / "random_labels_binary-s0"
    text = audit(script, "--logs", run).stdout
    positions = [text.index(header) for header in ("CONFIRMED", "NOT EXPLAINED BY THE SCRIPT", "NOT VISIBLE IN THESE LOGS")]
    assert positions == sorted(positions)
    data = audit_json(script, "--logs", run)
    severity = {f["code"]: f["severity"] for f in data["logs"]}
    order = list(dict.fromkeys(item["log_code"] for item in data["links"]))
    rank = {"error": 0, "warning": 1, "info": 2}
    assert [rank[severity[code]] for code in order] == sorted(rank[severity[code]] for code in order)
    for code in order:
        # within a symptom, causes in the table's order (most likely first)
        table = [c.scan_code for c in symptoms_by_code()[code].causes]
        got = [item["scan_code"] for item in data["links"] if item["log_code"] == code]
        assert got == sorted(got, key=table.index)


def test_links_for_every_run_under_the_path(tmp_path):
    for name in ("unshuffled_split-s0", "clean-s0"):
        shutil.copytree(RUNS / name, tmp_path / name)
    data = audit_json(SCRIPTS / "unshuffled_split.py", "--logs", tmp_path)
    assert {r["name"] for r in data["runs"]} == {"unshuffled_split-s0", "clean-s0"}
    assert {item["run"] for item in data["links"]} == {"unshuffled_split-s0"}


def test_num_classes_is_passed_to_the_log_analysis():
    # meta.json says 2 classes (54.9% is chance); with 10 classes, 54.9% is far above chance.
    run = RUNS / "random_labels_binary-s0"
    default = audit_json(SCRIPTS / "clean.py", "--logs", run)
    ten = audit_json(SCRIPTS / "clean.py", "--logs", run, "--num-classes", 10)
    assert "LOG002" in {f["code"] for f in default["logs"]}
    assert "LOG002" not in {f["code"] for f in ten["logs"]}


def test_link_function_without_the_cli():
    from fitlint.findings import Finding, Severity
    from fitlint.logs.finding import LogFinding

    scan = [Finding("FIT501", "missing-zero-grad", Severity.ERROR, "m", "t.py", 9, 5, 9, 20)]
    logs = [LogFinding("LOG005", "loss-diverging", "error", "m", "runs/a", "a", "train", "loss", 1),
            LogFinding("LOG010", "validation-better-than-train", "info", "m", "runs/a", "a")]
    result = link(scan, logs, ["t.py"], [("a", "runs/a")])
    assert [(l.symptom.code, l.cause.line) for l in result.links] == [("LOG005", 9)]
    assert [u.symptom.code for u in result.unexplained] == ["LOG010"] and result.not_visible == ()


# ---------------------------------------------------------------- formats


def test_json_contract():
    data = audit_json(SCRIPTS / "unshuffled_split.py", "--logs", RUNS / "unshuffled_split-s0")
    assert {"scan", "logs", "links"} <= set(data)
    assert {"code", "path", "line", "column", "message"} <= set(data["scan"][0])
    assert {"code", "run", "split", "metric", "epoch", "evidence"} <= set(data["logs"][0])
    for item in data["links"]:
        assert {"log_code", "scan_code", "path", "line", "explanation"} <= set(item)
        assert isinstance(item["line"], int) and item["explanation"]
        assert any(f["code"] == item["scan_code"] and f["line"] == item["line"] for f in data["scan"])
        assert any(f["code"] == item["log_code"] for f in data["logs"])


def test_markdown_renders_a_table_with_code_span_locations():
    script = SCRIPTS / "unshuffled_split.py"
    result = audit(script, "--logs", RUNS / "unshuffled_split-s0", "--format", "markdown")
    lines = result.stdout.splitlines()
    header = next(i for i, line in enumerate(lines) if line.startswith("| # | symptom"))
    assert set(lines[header + 1].replace("|", "")) == {"-"}
    columns = lines[header].count("|")
    rows = []
    for row in lines[header + 2:]:
        if not row.startswith("|"):
            break
        rows.append(row)
        assert len(re.findall(r"(?<!\\)\|", row)) == columns  # pipes in messages are escaped
    line = marked_lines(script, "FIT102")[0]
    assert any(f"`{script}:{line}`" in row and "FIT102" in row and "LOG002" in row for row in rows)
    assert "#### Details" in result.stdout


def test_plot_writes_the_curves(tmp_path):
    pytest.importorskip("matplotlib")
    out = tmp_path / "plots"
    result = audit(SCRIPTS / "unshuffled_split.py", "--logs", RUNS / "unshuffled_split-s0", "--plot", out)
    assert result.exit_code == 1
    assert (out / "unshuffled_split-s0.png").stat().st_size > 0


def test_exit_zero():
    result = audit(SCRIPTS / "unshuffled_split.py", "--logs", RUNS / "unshuffled_split-s0", "--exit-zero")
    assert result.exit_code == 0 and "CONFIRMED" in result.stdout


# ---------------------------------------------------------------- the project's files


def test_imported_project_files_are_scanned_not_run(tmp_path):
    project = tmp_path / "project"
    (project / "models").mkdir(parents=True)
    split = (SCRIPTS / "unshuffled_split.py").read_text()
    # Running any of these would leave a file behind: the audit only reads them.
    side_effect = f"open({str(tmp_path / 'ran')!r}, 'w').close()\n"
    (project / "data_utils.py").write_text(side_effect + split)
    (project / "models" / "__init__.py").write_text(side_effect + "from .net import Net\n")
    (project / "models" / "net.py").write_text(side_effect + (SCRIPTS / "double_softmax.py").read_text())
    (tmp_path / "outside.py").write_text(side_effect + split)
    (project / "train.py").write_text(
        "import torch\nimport numpy as np\nimport data_utils\nfrom models import Net\n"
        "from .. import outside\nimport not_there\n")
    data = audit_json(project / "train.py", "--logs", RUNS / "unshuffled_split-s0")
    assert data["files"] == [str(project / name) for name in
                             ("train.py", "data_utils.py", "models/__init__.py", "models/net.py")]
    linked = {(item["scan_code"], item["path"], item["line"]) for item in data["links"]}
    offset = 1  # the side-effect line above the copied script
    assert ("FIT102", str(project / "data_utils.py"), marked_lines(SCRIPTS / "unshuffled_split.py", "FIT102")[0] + offset) in linked
    assert not (tmp_path / "ran").exists()


def test_imports_resolve_relative_to_the_importing_package(tmp_path):
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "a.py").write_text("from . import b\nfrom .c import thing\nimport pkg.d\n")
    for name in ("b", "c", "d"):
        (tmp_path / "pkg" / f"{name}.py").write_text("")
    found = local_imports(tmp_path / "pkg" / "a.py", tmp_path.resolve())
    assert [p.name for p in found] == ["b.py", "c.py", "d.py"]


def test_notebook_imports_are_followed(tmp_path):
    (tmp_path / "helpers.py").write_text((SCRIPTS / "unshuffled_split.py").read_text())
    cell = {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
            "source": ["%matplotlib inline\n", "from helpers import X_train\n"]}
    notebook = {"cells": [cell], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    (tmp_path / "train.ipynb").write_text(json.dumps(notebook))
    data = audit_json(tmp_path / "train.ipynb", "--logs", RUNS / "unshuffled_split-s0")
    assert str(tmp_path / "helpers.py") in data["files"]
    assert any(item["path"] == str(tmp_path / "helpers.py") for item in data["links"])


# ---------------------------------------------------------------- bad input


@pytest.mark.parametrize(("args", "message"), [
    (["missing.py", "--logs", RUNS / "clean-s0"], "missing.py: no such file"),
    ([SCRIPTS / "clean.py", "--logs", "no/such/runs"], "no/such/runs: no such file or directory"),
    ([SCRIPTS / "clean.py"], "missing --logs PATH"),
    ([], "missing SCRIPT"),
    ([SCRIPTS, "--logs", RUNS / "clean-s0"], "not a file"),
    ([SCRIPTS / "clean.py", "--logs", SCRIPTS], "no training log found under this folder"),
    ([SCRIPTS / "clean.py", "--logs", RUNS / "clean-s0", "--format", "html"], "--format must be one of"),
    ([SCRIPTS / "clean.py", "--logs", RUNS / "clean-s0", "--num-classes", "1"], "--num-classes must be at least 2"),
])
def test_bad_input_is_one_line_and_exit_2(args, message):
    result = audit(*args)
    assert result.exit_code == 2, result.output
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("fitlint audit: ") and message in lines[0], result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_importing_the_command_imports_neither_pandas_nor_torch():
    code = "import sys, fitlint.audit, fitlint.audit.table; print('pandas' in sys.modules, 'torch' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False False"


def test_suppressed_findings_are_not_linked(tmp_path):
    script = SCRIPTS / "unshuffled_split.py"
    line = marked_lines(script, "FIT102")[0]
    lines = script.read_text().splitlines()
    lines[line - 1] += "  # noqa: FIT102"
    (tmp_path / "train.py").write_text("\n".join(lines) + "\n")
    data = audit_json(tmp_path / "train.py", "--logs", RUNS / "unshuffled_split-s0")
    assert "FIT102" not in {f["code"] for f in data["scan"]}
    assert "FIT102" not in {item["scan_code"] for item in data["links"]}


def test_default_off_rules_are_consulted_only_to_explain_a_symptom():
    # FIT602 no-regularization is off by default: reported when the logs show the overfitting it
    # explains, silent when the curves are healthy.
    script = SCRIPTS / "no_regularization.py"
    healthy = audit_json(script, "--logs", RUNS / "clean-s0")
    assert "FIT602" not in {f["code"] for f in healthy["scan"]}
    assert "FIT602" not in {n["scan_code"] for n in healthy["not_visible"]}
    overfit = audit_json(script, "--logs", RUNS / "overfit_small-s0")
    assert "FIT602" in {f["code"] for f in overfit["scan"]}


def test_an_ignored_rule_stays_ignored(tmp_path, monkeypatch):
    (tmp_path / "pyproject.toml").write_text('[tool.fitlint]\nignore = ["FIT602"]\n')
    monkeypatch.chdir(tmp_path)
    data = audit_json(SCRIPTS / "no_regularization.py", "--logs", RUNS / "overfit_small-s0")
    assert data["scan"] == [] and data["links"] == []
