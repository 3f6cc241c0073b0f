"""`fitlint scan` starts fast (pre-commit pays its start-up on every commit): it reads its command
line without typer (fitlint.entry), imports only what a scan needs, and means exactly what the
typer command means (see benchmarks/bench_startup.py for the time it takes)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from typer.main import get_command

import fitlint.scan
from fitlint.cli import app
from fitlint.entry import SCAN_DEFAULTS, SCAN_OPTIONS, scan_values

ROOT = Path(__file__).resolve().parent.parent
# what a plain scan must not load: the command-line framework and its help machinery, the log
# analyzer and the audit, the fix loop, and the libraries fitlint never imports to scan
NOT_ON_THE_SCAN_PATH = (
    "typer", "click", "rich", "pydantic", "fitlint.cli", "fitlint.logs", "fitlint.audit",
    "fitlint.fixes.converge", "fitlint.fixes.notebook", "pandas", "numpy", "torch", "yaml",
    "concurrent.futures", "multiprocessing", "difflib", "tempfile",
)


def test_a_scan_imports_only_what_it_needs(tmp_path):
    (tmp_path / "train.py").write_text((ROOT / "examples" / "train_seed.py").read_text())
    probe = (
        "import sys\n"
        "from fitlint.entry import main\n"
        "sys.argv = ['fitlint', 'scan', 'train.py']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    code = exit.code\n"
        f"loaded = [name for name in {NOT_ON_THE_SCAN_PATH!r} if name in sys.modules]\n"
        "print('EXIT', code, 'LOADED', loaded)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert "FIT101" in result.stdout  # it did scan
    assert result.stdout.splitlines()[-1] == "EXIT 1 LOADED []", result.stdout[-500:] + result.stderr


def _typer_scan_params():
    return {param.name: param for param in get_command(app).commands["scan"].params}


def test_the_fast_parser_knows_the_scan_options_as_typer_declares_them():
    params = _typer_scan_params()
    assert set(SCAN_DEFAULTS) == set(params)
    declared = {}
    for param in params.values():
        if param.name == "paths":
            continue
        for flag in [*param.opts, *param.secondary_opts]:
            declared[flag] = param
    assert set(SCAN_OPTIONS) == set(declared)
    for flag, (name, reader) in SCAN_OPTIONS.items():
        param = declared[flag]
        assert name == param.name, flag
        assert SCAN_DEFAULTS[name] == param.default, flag
        if isinstance(reader, bool):
            assert param.is_flag and reader == (flag in param.opts), flag
        else:
            assert not param.is_flag and (reader == "many") == param.multiple, flag


ARGUMENTS = [
    [],
    ["a.py", "b.ipynb"],
    ["-"],
    ["--stdin-filename", "x.py", "-"],
    ["src", "--select", "FIT1,FIT2", "--select=FIT3", "--ignore", "FIT101", "tests"],
    ["--extend-select", "FIT602", "--exclude", "legacy/*", "--exclude=build"],
    ["-f", "json", "-j", "2"],
    ["-fsarif", "-j2", "--format=github"],
    ["--jobs=4", "--file-timeout", "0.5", "--file-timeout=3"],
    ["--color", "--no-color"],
    ["--no-color", "--color", "--exit-zero", "--show-suppressed"],
    ["--fix", "--unsafe-fixes", "x.py"],
    ["--diff", "--severity", "warning", "--config", "conf/fitlint.yaml"],
    ["--select", "-weird", "--", "--not-an-option.py", "-"],
    ["--select", ""],
]


@pytest.mark.parametrize("arguments", ARGUMENTS, ids=[" ".join(a) or "(none)" for a in ARGUMENTS])
def test_the_fast_parser_reads_a_command_line_as_typer_does(arguments, monkeypatch):
    requests = []
    monkeypatch.setattr(fitlint.scan, "run_scan", lambda request: requests.append(request) or 0)
    app(["scan", *arguments], standalone_mode=False)
    values = scan_values(arguments)
    assert values is not None
    fitlint.scan.run_command(**values)
    through_typer, fast = requests
    assert fast == through_typer


@pytest.mark.parametrize("arguments", [
    ["--help"], ["-h"], ["--version"], ["--unknown"], ["--format"], ["-j"], ["--jobs", "2.0"],
    ["--jobs", "+2"], ["--jobs", " 2"], ["--file-timeout", "1e-3"], ["--file-timeout", "-1"],
    ["--fix=yes"], ["-x"],
])
def test_anything_else_goes_to_typer(arguments):
    assert scan_values(arguments) is None


def test_typer_still_answers_what_the_fast_parser_leaves(tmp_path):
    """Help and errors come from typer, through the same entry point as a scan."""
    def run(*args):
        return subprocess.run([sys.executable, "-m", "fitlint", *args], cwd=tmp_path, capture_output=True,
                              text=True, timeout=120)

    helped = run("scan", "--help")
    assert helped.returncode == 0 and "--file-timeout" in helped.stdout and "--select" in helped.stdout
    wrong = run("scan", "--jobs", "many")
    assert wrong.returncode == 2 and "Invalid value for '--jobs'" in wrong.stderr
