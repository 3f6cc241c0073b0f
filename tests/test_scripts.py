"""End-to-end: whole training scripts with the expected codes as trailing comments.

Every file in tests/scripts/ and examples/ is scanned with every rule (default-off ones included);
the (line, code) pairs reported must equal the markers exactly: a missing finding and an extra one
both fail. A script without markers is a trap that must stay silent.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from fitlint.config import Config
from fitlint.engine import scan_source
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted((ROOT / "tests" / "scripts").glob("*.py")) + sorted((ROOT / "examples").glob("*.py"))
CODE = re.compile(r"\bFIT\d{3}\b")


def expected_findings(source: str, known: set[str]) -> set[tuple[int, str]]:
    expected = set()
    for number, line in enumerate(source.splitlines(), 1):
        _, hash_, comment = line.partition("#")
        if hash_:
            expected |= {(number, code) for code in CODE.findall(comment) if code in known}
    return expected


@pytest.mark.parametrize("path", SCRIPTS, ids=[path.name for path in SCRIPTS])
def test_script_findings_match_markers(path: Path):
    rules = [rule() for rule in all_rules()]
    source = path.read_text(encoding="utf-8")
    result = scan_source(path.name, source, rules, Config())
    assert not result.errors
    found = {(finding.line, finding.code) for finding in result.findings}
    expected = expected_findings(source, {rule.code for rule in rules})
    assert sorted(found - expected) == [], "unexpected findings"
    assert sorted(expected - found) == [], "missing findings"
