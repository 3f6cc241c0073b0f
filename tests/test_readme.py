"""The README is the front door: its rules and checks tables must match the registries and link to
each page, and its test command must be the one CI runs."""

from __future__ import annotations

import re
from pathlib import Path

from fitlint.logs.checks.base import all_checks
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
LINKED_CODE = re.compile(r"\[(?P<code>[A-Z]+\d{3})\]\((?P<page>[^)]+)\)")


def _rows(prefix: str) -> dict[str, list[str]]:
    """Table rows whose first cell is a code linked to its page: code -> [page, other cells...]."""
    rows = {}
    for line in README.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        linked = LINKED_CODE.fullmatch(cells[0]) if line.startswith("|") else None
        if linked and re.fullmatch(rf"{prefix}\d{{3}}", linked["code"]):
            rows.setdefault(linked["code"], [linked["page"], *cells[1:]])
    return rows


def test_rules_table_matches_the_registry():
    rows = _rows("FIT")
    assert set(rows) == {rule.code for rule in all_rules()}
    for rule in all_rules():
        page, name, severity, fix, summary = rows[rule.code]
        assert page == rule.page_path() and (ROOT / page).is_file()
        assert name == f"`{rule.name}`"
        assert severity.startswith(rule.severity.value)
        assert ("off by default" in severity) == (not rule.default_enabled)
        assert (fix == "[*]") == rule.fixable, rule.code
        assert summary


def test_log_checks_table_matches_the_registry():
    rows = _rows("LOG")
    assert set(rows) == {check.code for check in all_checks()}
    for check in all_checks():
        page, name, severity, reports = rows[check.code]
        assert page == check.page_path() and (ROOT / page).is_file()
        assert name == check.name and severity == check.severity.value and reports


def test_every_link_to_docs_resolves():
    for document in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", document.read_text(encoding="utf-8")):
            assert (document.parent / target).exists(), f"{document.name} links to missing {target}"


def test_no_placeholder_left():
    assert not re.search(r"^[A-Z_]+_(OUTPUT|SECTION|TABLE|ROWS)$", README, re.M)


def test_ci_runs_the_readme_test_command():
    ci = (ROOT / ".ci" / "run").read_text()
    assert "pip install '.[test]' && python -m pytest" in README
    assert "python -m pip install --quiet '.[test]'" in ci
    assert re.search(r"^python -m pytest", ci, re.M)
    assert "pip install . && fitlint scan examples/" in README
