"""`fitlint scan --fix`: every fix parses, removes its finding, is idempotent, keeps the rest of the file."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import libcst as cst
import pytest

from fitlint.config import Config
from fitlint.engine import fix_source, scan_source
from fitlint.files import SourceFile, write_fixed
from fitlint.fixes.edits import with_keyword, without_arg
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixes"
CASES = sorted(FIXTURES.glob("*.in.py"))
UPDATE = os.environ.get("FITLINT_UPDATE_FIXTURES") == "1"
FIXABLE = [rule for rule in all_rules() if rule.fixable]


def _invalid_examples():
    for rule in FIXABLE:
        for index, example in enumerate(rule.INVALID):
            yield pytest.param(rule, example, id=f"{rule.code}-invalid-{index}")


@pytest.mark.parametrize(("rule", "example"), list(_invalid_examples()))
def test_fix_removes_the_finding_and_is_idempotent(rule, example):
    # every offered fix, unsafe ones included (`--unsafe-fixes`); `fixed=` is the result of that
    rules = [rule()]
    before = scan_source("example.py", example.code, rules, Config()).findings
    outcome = fix_source("example.py", example.code, rules, Config(), unsafe=True)
    cst.parse_module(outcome.fixed)
    if example.fixed is not None:
        assert outcome.fixed == example.fixed
    fixable_before = [finding for finding in before if finding.fix]
    after = outcome.result.findings
    assert len(after) == len(before) - len(fixable_before), "a fix left its finding behind"
    assert outcome.applied == len(fixable_before)
    assert outcome.problems == []
    again = fix_source("example.py", outcome.fixed, rules, Config(), unsafe=True)
    assert again.fixed == outcome.fixed and again.applied == 0
    # the safe fixes alone: they parse, are idempotent, and never apply an unsafe one
    safe = fix_source("example.py", example.code, rules, Config())
    cst.parse_module(safe.fixed)
    assert safe.applied <= outcome.applied
    assert fix_source("example.py", safe.fixed, rules, Config()).fixed == safe.fixed


def test_fixable_rules_offer_at_least_one_fix():
    for rule in FIXABLE:
        offered = [
            finding for example in rule.INVALID
            for finding in scan_source("example.py", example.code, [rule()], Config()).findings if finding.fix
        ]
        assert offered, f"{rule.code} is marked fixable but none of its INVALID examples gets a fix"


@pytest.mark.parametrize("case", CASES, ids=[case.name.removesuffix(".in.py") for case in CASES])
def test_fix_fixture(case: Path):
    expected_path = case.with_name(case.name.replace(".in.py", ".out.py"))
    source = case.read_text()
    unsafe = case.name.endswith(".unsafe.in.py")  # `<case>.unsafe.in.py`: with --unsafe-fixes
    outcome = fix_source(case.name, source, [rule() for rule in all_rules()], Config(), unsafe=unsafe)
    if UPDATE:
        expected_path.write_text(outcome.fixed)
    assert outcome.fixed == expected_path.read_text()
    assert outcome.applied > 0


# Every realistic script and notebook in the repository (the clean corpus too, once it is there).
CORPUS = sorted(
    path for pattern in ("tests/scripts/*.py", "examples/*.py", "examples/*.ipynb", "tests/clean/**/*.py",
                         "tests/clean/**/*.ipynb", "tests/fixes/*.in.py", "tests/reference/scripts/*.py")
    for path in ROOT.glob(pattern)
)


@pytest.mark.parametrize("unsafe", [False, True], ids=["safe", "unsafe"])
@pytest.mark.parametrize("path", CORPUS, ids=[str(path.relative_to(ROOT)) for path in CORPUS])
def test_fix_twice_is_fix_once_and_fixed_means_gone(path: Path, unsafe: bool):
    rules = [rule() for rule in all_rules()]
    name = path.name.replace(".unsafe", "")
    once = fix_source(name, path.read_text(), rules, Config(), unsafe=unsafe)
    assert once.problems == []
    before = [finding for finding in once.unfixed.findings if not finding.suppressed]
    after = [finding for finding in once.result.findings if not finding.suppressed]
    assert len(after) == len(before) - once.applied
    # every fix offered was made: none is left on a finding still reported
    assert not [finding for finding in after if finding.fix and (finding.fix_safe or unsafe)]
    twice = fix_source(name, once.fixed, rules, Config(), unsafe=unsafe)
    assert twice.fixed == once.fixed and twice.applied == 0


def _fitlint(*args: str, cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "fitlint", "scan", *args], cwd=cwd, capture_output=True,
                          text=True, timeout=120, env={**os.environ, "NO_COLOR": "1"})


@pytest.mark.skipif(not CASES, reason="no fixture")
def test_cli_fix_diff_and_write(tmp_path: Path):
    case = CASES[0]
    expected = case.with_name(case.name.replace(".in.py", ".out.py")).read_text()
    target = tmp_path / "train.py"
    target.write_text(case.read_text())
    target.chmod(0o640)
    diff = _fitlint("--diff", "train.py", cwd=tmp_path)
    assert diff.returncode == 1
    assert diff.stdout.startswith("--- a/train.py\n+++ b/train.py\n")
    assert target.read_text() == case.read_text(), "--diff must not write"
    fixed = _fitlint("--fix", "--format", "json", "train.py", cwd=tmp_path)
    assert target.read_text() == expected
    assert oct(target.stat().st_mode & 0o777) == oct(0o640)
    json.loads(fixed.stdout)
    assert "fixed" in fixed.stderr
    assert not list(tmp_path.glob(".train.py.*")), "temporary file left behind"
    again = _fitlint("--fix", "train.py", cwd=tmp_path)
    assert target.read_text() == expected
    assert "fixed" not in again.stderr


def test_write_refuses_a_file_changed_during_the_run(tmp_path: Path):
    target = tmp_path / "train.py"
    target.write_text("x = 1\n")
    file = SourceFile(target, "train.py")
    target.write_text("x = 2\n")
    problem = write_fixed(file, "x = 1\n", "x = 3\n")
    assert problem is not None and "changed" in problem
    assert target.read_text() == "x = 2\n"


def test_write_keeps_the_declared_encoding(tmp_path: Path):
    target = tmp_path / "train.py"
    original = "# -*- coding: latin-1 -*-\nname = 'café'\n"
    target.write_bytes(original.encode("latin-1"))
    assert write_fixed(SourceFile(target, "train.py"), original, original.replace("1\n", "2\n", 1) + "y = 1\n") is None
    assert target.read_bytes().decode("latin-1").endswith("name = 'café'\ny = 1\n")




def _edited_call(source: str, edit) -> str:
    module = cst.parse_module(source)

    class Edit(cst.CSTTransformer):
        def leave_Call(self, original, updated):
            return edit(updated) if isinstance(updated.func, cst.Name | cst.Attribute) and original is module.body[0].body[0].value else updated

    return module.visit(Edit()).code


@pytest.mark.parametrize(("source", "expected"), [
    ("x = DataLoader(ds, batch_size=4)  # c\n", "x = DataLoader(ds, batch_size=4, shuffle=True)  # c\n"),
    ("x = DataLoader(ds, batch_size=4,)\n", "x = DataLoader(ds, batch_size=4, shuffle=True,)\n"),
    ("x = DataLoader(\n    ds, batch_size=4,\n)\n", "x = DataLoader(\n    ds, batch_size=4, shuffle=True,\n)\n"),
    ("x = DataLoader(\n    ds,  # a\n    batch_size=4,  # b\n)\n",
     "x = DataLoader(\n    ds,  # a\n    batch_size=4,  # b\n    shuffle=True,\n)\n"),
    ("x = DataLoader(\n    ds,  # a\n    batch_size=4  # b\n)\n",
     "x = DataLoader(\n    ds,  # a\n    batch_size=4,  # b\n    shuffle=True\n)\n"),
    ("x = DataLoader(ds,\n               batch_size=4)  # c\n",
     "x = DataLoader(ds,\n               batch_size=4,\n               shuffle=True)  # c\n"),
    ("x = DataLoader(\n    ds\n)\n", "x = DataLoader(\n    ds,\n    shuffle=True\n)\n"),
])
def test_with_keyword_keeps_the_call_layout(source, expected):
    assert _edited_call(source, lambda call: with_keyword(call, "shuffle", cst.Name("True"))) == expected


@pytest.mark.parametrize(("source", "expected"), [
    ("m = nn.Sequential(nn.Linear(1, 2), nn.Softmax(1))\n", "m = nn.Sequential(nn.Linear(1, 2))\n"),
    ("m = nn.Sequential(\n    nn.Linear(1, 2),  # scores\n    nn.Softmax(1))\n",
     "m = nn.Sequential(\n    nn.Linear(1, 2),  # scores\n)\n"),
    ("m = nn.Sequential(\n    nn.Linear(1, 2),\n    nn.Softmax(1))\n", "m = nn.Sequential(\n    nn.Linear(1, 2))\n"),
    ("m = nn.Sequential(\n    nn.Linear(1, 2),  # scores\n    nn.Softmax(1)\n)\n",
     "m = nn.Sequential(\n    nn.Linear(1, 2),  # scores\n)\n"),
    # the comment lines right above the removed layer described it: they go with it
    ("m = nn.Sequential(\n    nn.Linear(1, 2),  # scores\n    # probabilities\n    nn.Softmax(1),  # p\n    nn.Identity(),\n)\n",
     "m = nn.Sequential(\n    nn.Linear(1, 2),  # scores\n    nn.Identity(),\n)\n"),
])
def test_without_arg_keeps_the_other_lines_and_their_comments(source, expected):
    def drop_softmax(call):
        return without_arg(call, next(arg for arg in call.args if "Softmax" in cst.Module([]).code_for_node(arg)))
    assert _edited_call(source, drop_softmax) == expected
