"""The command line end to end, in a subprocess as a user or pre-commit runs it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent

BUGGY = """\
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
CLEAN = BUGGY.replace("batch_size=32)", "batch_size=32, shuffle=True)")
LOADER_LINE = 5


def fitlint(*args: str, cwd: Path, stdin: str | None = None) -> subprocess.CompletedProcess:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "fitlint", *args],
        cwd=cwd, input=stdin, capture_output=True, text=True, env=env, timeout=120,
    )


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "buggy.py").write_text(BUGGY)
    (tmp_path / "clean.py").write_text(CLEAN)
    return tmp_path


def test_findings_exit_1_and_text_format(project):
    result = fitlint("scan", "buggy.py", cwd=project)
    assert result.returncode == 1, result.stderr
    first = result.stdout.splitlines()[0]
    assert first.startswith(f"buggy.py:{LOADER_LINE}:16: FIT101 [warning] ")
    assert "train_loader = DataLoader(train_set, batch_size=32)" in result.stdout
    assert "^^^^" in result.stdout
    assert "Found 1 finding (1 warning) in 1 file." in result.stdout
    assert "\x1b[" not in result.stdout


def test_clean_exit_0(project):
    result = fitlint("scan", "clean.py", cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr


def test_exit_zero(project):
    assert fitlint("scan", "--exit-zero", "buggy.py", cwd=project).returncode == 0


def test_folder_default_is_current_directory(project):
    (project / ".venv").mkdir()
    (project / ".venv" / "hidden.py").write_text(BUGGY)
    result = fitlint("scan", "--format", "json", cwd=project)
    paths = {finding["path"] for finding in json.loads(result.stdout)}
    assert paths == {"buggy.py"}


def test_exclude_flag(project):
    result = fitlint("scan", ".", "--exclude", "buggy.py", cwd=project)
    assert result.returncode == 0


def test_json_contract(project):
    result = fitlint("scan", "--format", "json", "buggy.py", cwd=project)
    findings = json.loads(result.stdout)
    assert len(findings) == 1
    finding = findings[0]
    for key in ("code", "name", "severity", "message", "path", "line", "column", "end_line", "end_column", "fix"):
        assert key in finding
    assert finding["code"] == "FIT101" and finding["name"] == "train-loader-not-shuffled"
    assert (finding["line"], finding["column"], finding["path"]) == (LOADER_LINE, 16, "buggy.py")
    assert finding["end_line"] == LOADER_LINE and finding["end_column"] > finding["column"]


def test_sarif_rules_from_registry(project):
    result = fitlint("scan", "--format", "sarif", "buggy.py", cwd=project)
    sarif = json.loads(result.stdout)
    assert sarif["version"] == "2.1.0"
    driver = sarif["runs"][0]["tool"]["driver"]
    assert [rule["id"] for rule in driver["rules"]] == [rule.code for rule in all_rules()]
    (hit,) = sarif["runs"][0]["results"]
    assert hit["ruleId"] == "FIT101"
    assert driver["rules"][hit["ruleIndex"]]["id"] == "FIT101"
    region = hit["locations"][0]["physicalLocation"]["region"]
    assert region["startLine"] == LOADER_LINE


def test_github_annotations(project):
    result = fitlint("scan", "--format", "github", "buggy.py", cwd=project)
    assert result.stdout.startswith(f"::warning file=buggy.py,line={LOADER_LINE},col=16,")
    assert "title=fitlint (FIT101)::" in result.stdout


def test_stdin_with_filename(project):
    result = fitlint("scan", "-", "--stdin-filename", "train.py", "--format", "json", cwd=project, stdin=BUGGY)
    assert result.returncode == 1
    assert json.loads(result.stdout)[0]["path"] == "train.py"


def test_missing_path_is_a_usage_error_but_the_rest_is_scanned(project):
    result = fitlint("scan", "nope.py", "buggy.py", cwd=project)
    assert result.returncode == 2
    assert "nope.py" in result.stderr and "Traceback" not in result.stderr
    assert "FIT101" in result.stdout


def test_unknown_code_is_a_usage_error(project):
    result = fitlint("scan", "--select", "FIT999", "buggy.py", cwd=project)
    assert result.returncode == 2
    assert "FIT999" in result.stderr


def test_unknown_format_is_a_usage_error(project):
    assert fitlint("scan", "--format", "xml", "buggy.py", cwd=project).returncode == 2


def test_syntax_error_and_undecodable_file_are_findings_not_crashes(project):
    (project / "broken.py").write_text("import torch\nfor i in range(3)\n    pass\n")
    (project / "latin.py").write_bytes(b"import torch\nx = '\xff\xfe'\n")
    result = fitlint("scan", "--format", "json", "broken.py", "latin.py", "buggy.py", cwd=project)
    assert "Traceback" not in result.stderr
    findings = json.loads(result.stdout)
    by_path = {(f["path"], f["code"]) for f in findings}
    assert ("broken.py", "FIT000") in by_path
    assert ("latin.py", "FIT000") in by_path
    assert ("buggy.py", "FIT101") in by_path
    broken = next(f for f in findings if f["path"] == "broken.py")
    assert broken["line"] == 2


def test_suppression_comment_and_show_suppressed(project):
    suppressed = BUGGY.replace("batch_size=32)", "batch_size=32)  # fitlint: ignore[FIT101]")
    (project / "quiet.py").write_text(suppressed)
    assert fitlint("scan", "quiet.py", cwd=project).returncode == 0
    shown = fitlint("scan", "--show-suppressed", "--format", "json", "quiet.py", cwd=project)
    (finding,) = json.loads(shown.stdout)
    assert finding["suppressed"] is True
    noqa = BUGGY.replace("batch_size=32)", "batch_size=32)  # noqa: FIT101")
    (project / "noqa.py").write_text(noqa)
    assert fitlint("scan", "noqa.py", cwd=project).returncode == 0
    other = BUGGY.replace("batch_size=32)", "batch_size=32)  # noqa: E501")
    (project / "other.py").write_text(other)
    assert fitlint("scan", "other.py", cwd=project).returncode == 1


def test_pyproject_config_ignore_and_cli_wins(project):
    (project / "pyproject.toml").write_text('[tool.fitlint]\nignore = ["FIT101"]\n')
    assert fitlint("scan", "buggy.py", cwd=project).returncode == 0
    assert fitlint("scan", "--select", "FIT101", "buggy.py", cwd=project).returncode == 1


def test_yaml_config_per_file_ignores(project):
    (project / "fitlint.yaml").write_text("per-file-ignores:\n  'bug*.py': [FIT1]\n")
    assert fitlint("scan", "buggy.py", cwd=project).returncode == 0


def test_bad_config_names_the_file_and_key(project):
    (project / "pyproject.toml").write_text('[tool.fitlint]\nselekt = ["FIT101"]\n')
    result = fitlint("scan", "buggy.py", cwd=project)
    assert result.returncode == 2
    assert "pyproject.toml" in result.stderr and "selekt" in result.stderr
    assert "Traceback" not in result.stderr


def test_severity_threshold(project):
    assert fitlint("scan", "--severity", "error", "buggy.py", cwd=project).returncode == 0
    assert fitlint("scan", "--severity", "loud", "buggy.py", cwd=project).returncode == 2


def test_parallel_output_is_stable(project):
    for index in range(20):
        (project / f"copy_{index:02d}.py").write_text(BUGGY)
    serial = fitlint("scan", "--format", "json", "-j", "1", ".", cwd=project)
    parallel = fitlint("scan", "--format", "json", "-j", "2", ".", cwd=project)
    assert serial.stdout == parallel.stdout
    assert len(json.loads(serial.stdout)) == 21


def test_files_without_training_code_are_skipped(project):
    (project / "util.py").write_text("def add(a, b):\n    return a +\n")
    assert fitlint("scan", "util.py", cwd=project).returncode == 0


def test_rules_and_explain(project):
    listing = fitlint("rules", cwd=project)
    assert listing.returncode == 0
    for rule in all_rules():
        assert rule.code in listing.stdout and rule.name in listing.stdout
    explained = fitlint("explain", "fit101", cwd=project)
    assert explained.returncode == 0 and "## Why is this bad?" in explained.stdout
    assert fitlint("explain", "FIT999", cwd=project).returncode == 2


def test_scan_imports_neither_pandas_nor_torch(project):
    probe = (
        "import sys\n"
        "from fitlint.cli import main\n"
        "sys.argv = ['fitlint', 'scan', 'buggy.py']\n"
        "try:\n    main()\nexcept SystemExit:\n    pass\n"
        "print('LOADED', 'pandas' in sys.modules, 'torch' in sys.modules)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=project, capture_output=True, text=True, timeout=120)
    assert "LOADED False False" in result.stdout, result.stdout + result.stderr


def test_example_script_reports_the_seed_mistakes():
    result = fitlint("scan", "--format", "json", "examples/", cwd=ROOT)
    codes = {finding["code"] for finding in json.loads(result.stdout)}
    assert {"FIT001", "FIT101"} <= codes
