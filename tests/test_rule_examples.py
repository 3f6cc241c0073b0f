"""Every rule's own VALID and INVALID examples, as parametrized tests (`pytest -k FIT101`)."""

from __future__ import annotations

import re

import libcst as cst
import pytest

from fitlint.config import Config
from fitlint.engine import PARSE_ERROR_CODE, scan_source
from fitlint.files import could_hold_training_code
from fitlint.rule import FIX_SECTION, all_rules

RULES = all_rules()


def _examples(kind: str):
    for rule in RULES:
        for index, example in enumerate(getattr(rule, kind)):
            yield pytest.param(rule, example, id=f"{rule.code}-{kind.lower()}-{index}")


def findings_of(rule, code: str):
    """The rule's findings on an example, after checking that the example reached the rule: it
    passed the prefilter and parsed, and the rule's check ran on its analysis (an example skipped
    before that would pass as VALID whatever the rule does)."""
    checked = []

    class Observed(rule):
        def check(self, script):
            checked.append(script.source)
            yield from super().check(script)

    result = scan_source("example.py", code, [Observed()], Config())
    assert not result.errors, result.errors
    assert could_hold_training_code(code), f"{rule.code}: the prefilter skips this example"
    if rule.code != PARSE_ERROR_CODE:  # the engine reports unparsable files itself
        assert len(checked) == 1, f"{rule.code}: the example never reached the rule's check"
        assert checked[0] == code
    return [finding for finding in result.findings if finding.code == rule.code]


@pytest.mark.parametrize(("rule", "example"), list(_examples("VALID")))
def test_valid_example_is_silent(rule, example):
    assert findings_of(rule, example.code) == []


def marked_lines(code: str, rule_code: str) -> set[int]:
    """Lines that carry the rule's code in a trailing comment (`# FIT101`): where it must fire."""
    pattern = re.compile(rf"#.*\b{rule_code}\b")
    return {number for number, line in enumerate(code.splitlines(), 1) if pattern.search(line)}


@pytest.mark.parametrize(("rule", "example"), list(_examples("INVALID")))
def test_invalid_example_is_flagged(rule, example):
    expected = marked_lines(example.code, rule.code)
    if example.line is not None:
        expected.add(example.line)
    assert expected, f"{rule.code}: an INVALID example marks the line it must report (`# {rule.code}`)"
    found = findings_of(rule, example.code)
    assert {finding.line for finding in found} == expected
    lines = example.code.count("\n") + 1
    for finding in found:
        assert 1 <= finding.line <= finding.end_line <= lines


def test_codes_and_names_are_unique():
    codes = [rule.code for rule in RULES]
    names = [rule.name for rule in RULES]
    assert len(codes) == len(set(codes)), codes
    assert len(names) == len(set(names)), names


@pytest.mark.parametrize("rule", RULES, ids=[rule.code for rule in RULES])
def test_rule_declares_itself(rule):
    assert re.fullmatch(r"FIT\d{3}", rule.code)
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", rule.name)
    assert rule.missing_sections() == [], f"{rule.code} lacks documentation sections"
    if rule.fixable:
        assert rule.sections().get(FIX_SECTION), f"{rule.code} fixes but lacks '{FIX_SECTION}'"
    assert rule.summary()
    assert rule.VALID and rule.INVALID, f"{rule.code} needs VALID and INVALID examples"


@pytest.mark.parametrize(("rule", "example"), list(_examples("VALID")) + list(_examples("INVALID")))
def test_examples_parse(rule, example):
    if rule.code == "FIT000":
        pytest.skip("FIT000's invalid example does not parse on purpose")
    cst.parse_module(example.code)
