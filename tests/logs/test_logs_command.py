"""``fitlint logs`` through Typer: output formats, exit codes, bad input, --plot."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from fitlint.logs.command import register

DATA = Path(__file__).parent / "data"


def make_app():
    app = typer.Typer()

    @app.callback()
    def main():  # keeps "logs" a subcommand
        pass

    register(app)
    return app


def invoke(*args):
    return CliRunner().invoke(make_app(), ["logs", *map(str, args)])


def test_importing_the_command_does_not_import_pandas():
    code = "import sys, fitlint.logs.command, fitlint.logs; print('pandas' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_json_output_fields_and_exit_1():
    result = invoke(DATA / "keras_csv", "--format", "json")
    assert result.exit_code == 1
    findings = json.loads(result.stdout)
    assert isinstance(findings, list) and findings
    for key in ("code", "name", "severity", "message", "path", "split", "metric", "epoch", "evidence"):
        assert key in findings[0]
    assert findings[0]["code"] == "LOG004" and findings[0]["epoch"] == 7
    assert findings[0]["path"] == str(DATA / "keras_csv")
    assert findings[0]["evidence"]["value"] == "NaN"


def test_text_output_verdict_and_summary_table():
    result = invoke(DATA / "keras_csv", DATA / "stdout_seed", "--num-classes", "2")
    assert result.exit_code == 1
    assert "verdict: error: non-finite-loss" in result.stdout
    assert "summary (last epoch):" in result.stdout
    assert "LOG002 [error] validation-at-chance (test accuracy, epoch 0)" in result.stdout


def test_clean_run_exits_0(tmp_path):
    (tmp_path / "history.csv").write_text(
        "epoch,accuracy,loss,val_accuracy,val_loss\n" + "\n".join(
            f"{e},{0.6 + 0.04 * e:.3f},{1 / (e + 1):.3f},{0.58 + 0.04 * e:.3f},{1.05 / (e + 1):.3f}" for e in range(8)))
    result = invoke(tmp_path)
    assert result.exit_code == 0, result.output
    assert "no problem found" in result.stdout


def test_select_ignore_and_exit_zero():
    assert invoke(DATA / "keras_csv", "--ignore", "LOG004").exit_code == 0
    assert invoke(DATA / "keras_csv", "--select", "LOG001").exit_code == 0
    assert invoke(DATA / "keras_csv", "--exit-zero").exit_code == 0


def test_option_overrides_a_threshold():
    strict = invoke(DATA / "stdout_keras", "--select", "LOG001", "--format", "json")
    loose = invoke(DATA / "stdout_keras", "--select", "LOG001", "--option", "LOG001.min_acc_gap=0.9",
                   "--option", "LOG001.min_loss_gap=5", "--format", "json")
    assert json.loads(strict.stdout) and json.loads(loose.stdout) == []


@pytest.mark.parametrize("args, message", [
    (["--format", "xml"], "--format must be text or json"),
    (["--select", "LOG999"], "unknown check code"),
    (["--option", "LOG001.nope=1"], "unknown option"),
    (["--option", "garbage"], "expected CODE.NAME=VALUE"),
])
def test_usage_errors_exit_2(args, message):
    result = invoke(DATA / "keras_csv", *args)
    assert result.exit_code == 2
    assert message in result.stderr and "Traceback" not in result.output


def test_nothing_readable_exits_2_with_one_line_per_problem(tmp_path):
    result = invoke(tmp_path / "missing", tmp_path)
    assert result.exit_code == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [f"fitlint logs: {tmp_path / 'missing'}: no such file or directory",
                     f"fitlint logs: {tmp_path}: no training log found under this folder",
                     "fitlint logs: no readable training log in the given paths"]


def test_bad_file_next_to_good_run(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "metrics.csv").write_text("epoch,loss\n")
    result = invoke(tmp_path / "a", DATA / "keras_csv")
    assert result.exit_code == 1
    assert f"{tmp_path / 'a' / 'metrics.csv'}: header but no rows" in result.stderr
    assert "keras_csv" in result.stdout and "Traceback" not in result.output


def test_plot_without_matplotlib_prints_one_line(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import matplotlib raises ImportError
    result = invoke(DATA / "keras_csv", "--plot", tmp_path / "plots")
    assert result.exit_code == 1
    assert result.stderr.count("--plot needs matplotlib") == 1
    assert "keras_csv" in result.stdout
    assert not (tmp_path / "plots").exists()


def test_plot_writes_one_png_per_run(tmp_path):
    pytest.importorskip("matplotlib")
    result = invoke(DATA / "keras_csv", DATA / "stdout_seed", "--plot", tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["keras_csv.png", "stdout_seed.png"]
    assert (tmp_path / "keras_csv.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert result.exit_code == 1
