"""Every check's own VALID / INVALID tables, and the rules every check must follow.

`pytest -k LOG003` runs one check's examples.
"""

from __future__ import annotations

import re

import pytest

from fitlint.findings import Severity
from fitlint.logs.checks.base import all_checks, run_checks, run_from_table, selected_checks

CHECKS = all_checks()


def _cases(kind):
    for cls in CHECKS:
        for i, example in enumerate(getattr(cls, kind)):
            yield pytest.param(cls, example, id=f"{cls.code}-{kind.lower()}-{i}")


def test_checks_are_discovered():
    codes = [c.code for c in CHECKS]
    assert codes == [f"LOG{i:03d}" for i in range(1, 12)]


def test_codes_and_names_are_unique_and_well_formed():
    codes = [c.code for c in CHECKS]
    names = [c.name for c in CHECKS]
    assert len(set(codes)) == len(codes), "two checks share a code"
    assert len(set(names)) == len(names), "two checks share a name"
    for cls in CHECKS:
        assert re.fullmatch(r"LOG\d{3}", cls.code)
        assert re.fullmatch(r"[a-z]+(-[a-z]+)*", cls.name), cls.name
        assert isinstance(cls.severity, Severity)


@pytest.mark.parametrize("cls", CHECKS, ids=[c.code for c in CHECKS])
def test_docstring_has_every_section(cls):
    assert cls.missing_sections() == [], f"{cls.code} docstring lacks sections"
    sections = cls.sections()
    # thresholds are documented by the option names they describe
    for option in cls.options:
        assert f"`{option}`" in sections["Thresholds"], f"{cls.code}: option {option} undocumented"


@pytest.mark.parametrize("cls", CHECKS, ids=[c.code for c in CHECKS])
def test_every_check_has_examples(cls):
    assert cls.VALID and cls.INVALID


def _codes(cls, example):
    run = run_from_table(example.table, num_classes=example.num_classes)
    return [f.code for f in run_checks(run, [cls()])], run


@pytest.mark.parametrize("cls, example", list(_cases("INVALID")))
def test_invalid_examples_are_reported(cls, example):
    codes, run = _codes(cls, example)
    assert codes == [cls.code], example.why
    finding = run_checks(run, [cls()])[0]
    assert finding.evidence and finding.message and finding.split and finding.metric
    assert finding.epoch is not None


@pytest.mark.parametrize("cls, example", list(_cases("VALID")))
def test_valid_examples_are_not_reported(cls, example):
    codes, _ = _codes(cls, example)
    assert codes == [], example.why


def test_thresholds_are_configurable():
    gap = next(c for c in CHECKS if c.code == "LOG001")
    example = gap.INVALID[0]
    run = run_from_table(example.table)
    assert run_checks(run, [gap()])
    assert not run_checks(run, [gap({"min_acc_gap": 0.5})])


def test_unknown_option_and_code_are_refused():
    with pytest.raises(ValueError, match="unknown option"):
        selected_checks(options={"LOG001": {"nope": 1}})
    with pytest.raises(ValueError, match="unknown check code"):
        selected_checks(select=["XYZ"])


def test_select_and_ignore_prefixes():
    assert [c.code for c in selected_checks(select=["LOG00"], ignore=["LOG003,LOG004"])] == [
        "LOG001", "LOG002", "LOG005", "LOG006", "LOG007", "LOG008", "LOG009"]
