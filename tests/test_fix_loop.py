"""The fix loop keeps a fix only when the re-scan proves it: rules whose fixes are broken on purpose."""

from __future__ import annotations

from typing import Iterator

import libcst as cst
import pytest

from fitlint.config import Config
from fitlint.engine import FixOutcome, fix_source
from fitlint.fixes.converge import judge
from fitlint.fixes.edits import insert_before, replace_node, statement_line
from fitlint.rule import Fix, Report, Rule, rules_by_code
from fitlint.scan import ScanRequest, run_scan
from fitlint.analysis.script import Script

SCRIPT = """\
import torch
from torch.utils.data import DataLoader
loader = DataLoader(train_set, batch_size=32)
for x, y in loader:
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
    bad()
    ok()
"""


def _calls(script: Script, name: str) -> Iterator:
    for site in script.calls:
        if site.name == name:
            yield site


class KeepsItsFinding(Rule):
    """Flags `bad()`; its fix inserts `pass` above the call, which leaves the call where it was."""

    code = "FIT990"
    name = "test-keeps-its-finding"
    fixable = True

    def check(self, script: Script) -> Iterator[Report]:
        for site in _calls(script, "bad"):
            yield Report(site.node, "bad() is bad", statement=site.statement,
                         fix=Fix("insert pass", (insert_before(site.statement, statement_line("pass")),)))


class AddsAFinding(Rule):
    """Flags `ok()`; its fix turns it into `bad()`, which FIT990 then reports."""

    code = "FIT991"
    name = "test-adds-a-finding"
    fixable = True

    def check(self, script: Script) -> Iterator[Report]:
        for site in _calls(script, "ok"):
            fixed = site.node.with_changes(func=cst.Name("bad"))
            yield Report(site.node, "ok() is flagged", statement=site.statement,
                         fix=Fix("call bad() instead", (replace_node(site.node, fixed),)))


class RepeatsItself(Rule):
    """Flags `optimizer.step()` and inserts `optimizer.zero_grad()` above it, even when the
    statement above already is that call."""

    code = "FIT992"
    name = "test-repeats-itself"
    fixable = True

    def check(self, script: Script) -> Iterator[Report]:
        for site in _calls(script, "optimizer.step"):
            edit = insert_before(site.statement, statement_line("optimizer.zero_grad()"))
            yield Report(site.node, "step", statement=site.statement, fix=Fix("zero first", (edit,)))


def _fix(source: str, *extra: type[Rule]) -> FixOutcome:
    rules = [rules_by_code()["FIT101"](), *(rule() for rule in extra)]
    return fix_source("train.py", source, rules, Config())


def test_a_fix_that_keeps_its_finding_is_dropped_and_reported_once():
    outcome = _fix(SCRIPT, KeepsItsFinding)
    # FIT101's fix is kept, FIT990's `pass` is not there, not even once
    assert "shuffle=True" in outcome.fixed
    assert outcome.fixed == SCRIPT.replace("batch_size=32)", "batch_size=32, shuffle=True)")
    assert outcome.applied == 1
    assert outcome.problems == [
        "train.py:8: FIT990's fix was not applied: it did not remove its finding "
        "(a bug in fitlint's FIT990 rule; the other fixes were kept)"
    ]
    assert [finding.code for finding in outcome.result.findings] == ["FIT990"]
    assert outcome.result.findings[0].fix is None, "the report after --fix offers the fix it dropped"
    again = _fix(outcome.fixed, KeepsItsFinding)
    assert again.fixed == outcome.fixed and again.applied == 0


def test_a_fix_that_adds_a_finding_is_dropped():
    outcome = _fix(SCRIPT.replace("    bad()\n", ""), AddsAFinding, KeepsItsFinding)
    assert "ok()" in outcome.fixed and "bad()" not in outcome.fixed
    assert len(outcome.problems) == 1 and "FIT991's fix was not applied: it would add a FIT990 finding" in outcome.problems[0]
    assert sorted(finding.code for finding in outcome.result.findings) == ["FIT991"]


def test_no_edit_is_made_twice_at_the_same_place():
    # the statement above the step already is the call the fix inserts
    source = SCRIPT.replace("    bad()\n    ok()\n", "").replace(
        "    optimizer.zero_grad()\n", "").replace("    optimizer.step()", "    optimizer.zero_grad()\n    optimizer.step()")
    outcome = _fix(source, RepeatsItself)
    assert outcome.fixed.count("optimizer.zero_grad()") == 1
    assert len(outcome.problems) == 1 and "next to an identical one" in outcome.problems[0]
    # and where it is not, the fix that leaves its finding is still tried only once
    outcome = _fix(SCRIPT, RepeatsItself)
    assert outcome.fixed.count("optimizer.zero_grad()") == 1 and len(outcome.problems) == 1


def test_fixed_counts_the_findings_that_disappeared(monkeypatch, tmp_path, capsys):
    path = tmp_path / "train.py"
    path.write_text(SCRIPT)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr("fitlint.engine.instantiate",
                        lambda config, path=None: [rules_by_code()["FIT101"](), KeepsItsFinding()])
    code = run_scan(ScanRequest(paths=["train.py"], fix=True, jobs=1))
    err = capsys.readouterr().err
    assert "fixed 1 finding in 1 file" in err
    assert err.count("FIT990's fix was not applied") == 1
    assert code == 1  # FIT990's finding is still there
    assert path.read_text().count("pass") == 0


@pytest.mark.parametrize(("before", "after", "fixed", "ok"), [
    # the fixed finding is gone, another one's text changed (a re-indented loop): fine
    ([("A", "x", False), ("B", "for a", False)], [("B", "for  a ", False)], [("A", "x", False)], True),
    # the fixed finding is still there
    ([("A", "x", False)], [("A", "x", False)], [("A", "x", False)], False),
    # one of two identical findings fixed, the other stays: fine
    ([("A", "x", False), ("A", "x", False)], [("A", "x", False)], [("A", "x", False)], True),
    # a finding of another code appeared
    ([("A", "x", False)], [("B", "y", False)], [("A", "x", False)], False),
    # the fixed finding's text changed but it is still reported
    ([("A", "x", False)], [("A", "x2", False)], [("A", "x", False)], False),
])
def test_judge(before, after, fixed, ok):
    assert judge(before, after, fixed).ok is ok


MODEL_FILE = """\
import torch
from torch import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3 * 32 * 32, 10)
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        return self.fc(self.drop(x.flatten(1)))


def evaluate(loader):
    \"\"\"Accuracy of the saved model on the validation data.\"\"\"
    net = Net()
    net.load_state_dict(torch.load("best.pt"))
    with torch.no_grad():
        return sum((net(x).argmax(1) == y).sum().item() for x, y in loader)


evaluate(val_loader)
"""


def test_eval_mode_is_switched_after_the_model_is_built():
    outcome = fix_source("models.py", MODEL_FILE, [rules_by_code()["FIT201"]()], Config())
    assert outcome.problems == [] and outcome.applied == 1
    assert "    net = Net()\n    net.eval()\n    net.load_state_dict" in outcome.fixed


class InsertsAtTheVeryTop(Rule):
    """Test-only: FIT201's finding, fixed by `net.eval()` as the very first statement of the function."""

    code = "FIT994"
    name = "test-inserts-at-the-very-top"
    fixable = True

    def check(self, script: Script) -> Iterator[Report]:
        function = next(f for f in script.functions if f.name == "evaluate")
        first = function.node.body.body[1]
        site = next(site for site in function.calls if site.name == "net")
        yield Report(site.node, "eval", statement=site.statement,
                     fix=Fix("eval first", (insert_before(first, statement_line("net.eval()")),)))


def test_code_inserted_above_the_assignment_of_a_name_it_reads_is_refused():
    outcome = fix_source("models.py", MODEL_FILE, [InsertsAtTheVeryTop()], Config())
    assert outcome.fixed == MODEL_FILE
    assert len(outcome.problems) == 1
    assert "FIT994's fix was not applied: it would read a name before the statement that assigns it" in outcome.problems[0]


@pytest.mark.parametrize(("body", "index"), [
    ("net = Net()\ny = net(x)\n", 1),
    ("'''doc'''\nnet = Net()\nprint(1)\n", 2),
    ("global net\nnet = Net()\n", 1),  # declared global: any placement reads the module's name
    ("if cuda:\n    net = Net().cuda()\nelse:\n    net = Net()\ny = net(x)\n", None),
    ("y = model(x)\n", 0),
])
def test_first_free_index(body, index):
    from fitlint.fixes.bindings import first_free_index, names_read

    statements = cst.parse_module(body).body
    start = 1 if body.startswith(("'''", "global")) else 0
    assert first_free_index(statements, start, names_read([statement_line("net.eval()")])) == index


class BreaksTheSyntax(Rule):
    """Flags `bad()`; its fix renders code that does not parse (a node changed behind libcst's
    validation, as a buggy fix could build)."""

    code = "FIT993"
    name = "test-breaks-the-syntax"
    fixable = True

    def check(self, script: Script) -> Iterator[Report]:
        for site in _calls(script, "bad"):
            broken = cst.Name("bad")
            object.__setattr__(broken, "value", "bad ==")
            yield Report(site.node, "bad() is bad", statement=site.statement,
                         fix=Fix("garble", (replace_node(site.node, broken),)))


def test_a_fix_whose_result_does_not_parse_is_never_kept():
    # FIT000 is not among the rules: the loop itself refuses a text that does not parse
    outcome = _fix(SCRIPT, BreaksTheSyntax)
    assert outcome.fixed == SCRIPT.replace("batch_size=32)", "batch_size=32, shuffle=True)")
    assert outcome.applied == 1
    assert outcome.problems == [
        "train.py:8: FIT993's fix was not applied: its result would not parse "
        "(a bug in fitlint's FIT993 rule; the other fixes were kept)"
    ]
    compile(outcome.fixed, "train.py", "exec")
