"""A scanned file's tree is freed as soon as its scan ends, by reference counting.

The shared analysis links its facts both ways (a function's call sites point back at the function,
memos hold their owners), and a closure that calls itself is a cycle too. Any one cycle that
reaches the tree kept the whole file alive until the cycle collector's next full pass, which then
walked every tree left behind: a tenth of a scan's time. ``Script.release`` breaks the analysis's
cycles once the rules are done; this checks that no scan leaves any, on every script and example
the repository holds (the cycle collector is off while a file is scanned, so what it finds after
is exactly what that scan left)."""

from __future__ import annotations

import gc
from pathlib import Path

import pytest

from fitlint.config import Config
from fitlint.engine import instantiate, scan_source
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent


def _sources() -> list[tuple[str, str]]:
    paths = sorted((ROOT / "tests" / "scripts").glob("*.py")) + sorted((ROOT / "examples").glob("*.py"))
    out = [(path.name, path.read_text(encoding="utf-8")) for path in paths]
    for rule in all_rules():
        out += [(f"{rule.code}-{index}.py", example.code)
                for index, example in enumerate((*rule.VALID, *rule.INVALID))]
    return out


@pytest.mark.parametrize("keep_reports", [False, True], ids=["scan", "scan-for-fix"])
def test_a_scan_leaves_no_reference_cycles(keep_reports):
    config = Config(select=("ALL",))
    rules = instantiate(config)
    sources = _sources()
    scan_source(*sources[0], rules, config)  # first-use caches of the rules and libcst
    left: dict[str, int] = {}
    findings = 0
    enabled = gc.isenabled()
    gc.collect()
    gc.disable()
    try:
        for name, source in sources:
            result = scan_source(name, source, rules, config, keep_reports)
            findings += len(result.findings)
            del result
            unreachable = gc.collect(0)  # what this scan allocated is all young: the collector is off
            if unreachable:
                left[name] = unreachable
    finally:
        if enabled:
            gc.enable()
    assert findings > 100  # the scans reached the rules, and some rules' fixes were simulated
    assert left == {}


def test_the_collector_check_sees_a_cycle():
    """The check above can fail: a scan that keeps its analysis in a cycle is caught."""
    import fitlint.analysis.script as script_module

    release = script_module.Script.release
    script_module.Script.release = lambda self: None
    try:
        with pytest.raises(AssertionError):
            test_a_scan_leaves_no_reference_cycles(False)
    finally:
        script_module.Script.release = release
