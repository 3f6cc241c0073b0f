"""The documentation pages under docs/rules/ and docs/checks/ say what `fitlint explain` says (both are
each check's page, generated from its docstring by docs/generate.py), and the README shows what
`fitlint scan examples/` prints today."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from fitlint.logs.checks.base import all_checks
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent


def _generator():
    spec = importlib.util.spec_from_file_location("generate_docs", ROOT / "docs" / "generate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_every_page_and_the_readme_output_are_up_to_date():
    generate = _generator()
    stale = [path.relative_to(ROOT).as_posix() for path in generate.stale({**generate.pages(), **generate.readme()})]
    assert stale == [], "stale documentation: run `python docs/generate.py`"


def test_a_stale_page_is_noticed(tmp_path, monkeypatch):
    generate = _generator()
    monkeypatch.setattr(generate, "ROOT", tmp_path)
    monkeypatch.setattr(generate, "readme", dict)  # the README is checked by the test above
    expected = generate.pages()
    assert len(expected) == len(all_rules()) + len(all_checks())
    generate.main()
    assert generate.stale(expected) == []
    page = tmp_path / "docs" / "rules" / "FIT101.md"
    page.write_text(page.read_text().replace("## Why is this bad?", "## Why"))
    left_over = tmp_path / "docs" / "checks" / "LOG999.md"
    left_over.write_text("# a check that no longer exists\n")
    assert generate.stale(expected) == [left_over, page]


@pytest.mark.parametrize("code", ["FIT201", "fit602", "LOG002"])
def test_explain_prints_the_page(code):
    done = subprocess.run([sys.executable, "-m", "fitlint", "explain", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    check = next(check for check in (*all_rules(), *all_checks()) if check.code == code.upper())
    assert done.stdout == (ROOT / check.page_path()).read_text()
    assert done.stdout.startswith(f"# {check.code} {check.name}\n") and "## What it does" in done.stdout


def test_explain_refuses_an_unknown_code():
    done = subprocess.run([sys.executable, "-m", "fitlint", "explain", "LOG999"], capture_output=True, text=True)
    assert done.returncode == 2 and "unknown rule or log check code 'LOG999'" in done.stderr
