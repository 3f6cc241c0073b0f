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


def test_a_run_that_cannot_be_analyzed_is_one_line_and_the_others_are_reported(tmp_path, monkeypatch):
    from fitlint.logs.checks.generalization_gap import GeneralizationGap

    original = GeneralizationGap.check

    def broken_on_one_run(self, run):
        if run.name == "broken":
            raise OverflowError("math range error")
        return original(self, run)

    monkeypatch.setattr(GeneralizationGap, "check", broken_on_one_run)
    for name in ("broken", "fine"):
        (tmp_path / name).mkdir()
        (tmp_path / name / "history.csv").write_text("epoch,loss,val_loss\n0,1.0,1.0\n1,0.5,0.6\n2,0.3,0.5\n")
    result = invoke(tmp_path)
    assert result.exit_code == 2  # a run could not be analyzed
    assert "Traceback" not in result.output
    lines = [line for line in result.stderr.splitlines() if "could not be analyzed" in line]
    assert lines == [f"fitlint logs: {tmp_path / 'broken'}: run 'broken' could not be analyzed (OverflowError: math "
                     "range error); this is a bug in fitlint, please report it"]
    assert "fine  (" in result.stdout and "broken  (" not in result.stdout


def test_a_reader_bug_is_one_line_too(tmp_path, monkeypatch):
    from fitlint.logs.readers import csv_log

    def broken(path):
        raise ZeroDivisionError("float division by zero")

    monkeypatch.setattr(csv_log, "read_table", broken)
    (tmp_path / "history.csv").write_text("epoch,loss\n0,1.0\n1,0.5\n")
    result = invoke(tmp_path, DATA / "stdout_keras")
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "could not be analyzed (ZeroDivisionError: float division by zero)" in result.stderr
    assert "stdout_keras  (" in result.stdout


def test_runs_named_alike_get_the_shortest_path_that_tells_them_apart(tmp_path):
    for experiment in ("exp_a", "exp_b"):
        for version in ("version_0", "version_1"):
            folder = tmp_path / experiment / "lightning_logs" / version
            folder.mkdir(parents=True)
            (folder / "metrics.csv").write_text("epoch,train_loss,val_loss\n0,1.0,1.0\n1,0.5,0.6\n")
    (tmp_path / "solo").mkdir()
    (tmp_path / "solo" / "history.csv").write_text("epoch,loss\n0,1.0\n1,0.5\n")
    from fitlint import logs

    names = sorted(run.name for run in logs.analyze([str(tmp_path)]).runs)
    assert names == ["exp_a/lightning_logs/version_0", "exp_a/lightning_logs/version_1",
                     "exp_b/lightning_logs/version_0", "exp_b/lightning_logs/version_1", "solo"]
