"""The rule framework: what a rule declares beyond a check (``fitlint.plugin.Check``), how it reports.

A rule is one ``Rule`` class in one module of ``fitlint.rules`` (discovered by ``all_rules``). Beyond
what every check declares (code, name, severity, options, documentation with the sections in
``DOC_SECTIONS``, VALID / INVALID examples) it says whether it fixes. A rule never parses or
traverses a file itself: it reads the shared analysis of the script
(``fitlint.analysis.script.Script``) built once per file by the engine.

Severity is a contract with the user:

- ``error`` only when every fact the finding rests on was resolved: the objects involved were
  followed to what they are (a name to the value it holds, a value to the constructor that made
  it: the model and its layers, the optimizer, the loader and its dataset), the path between them
  to the calls that run it (a call to the function it runs, the mode a model is in along the way),
  and the data flow to where the data comes from. The roles users give their data by name
  (``val_loader``, ``test_set``, ``def evaluate``) are taken at their word; a name is never taken
  in place of a binding.
- A finding that rests on a guessed link (an unknown value taken for a model because it is named
  ``net``, an ``opt.step()`` taken for an optimizer step because of its receiver's name, features
  and labels paired by their names only) is a ``warning`` at most. A rule says so by giving its
  report the ``Basis`` of those facts (``fitlint.analysis.script.Basis``, which the shared analysis
  returns with them); the engine lowers an ``error`` resting on a guess to a ``warning``
  (``severity_of``), whatever the rule asked for.
- A weak guess is silence: when the analysis cannot tell what a name is bound to and nothing else
  points to a mistake, a rule says nothing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar, Iterator

import libcst as cst

from fitlint.analysis.script import RESOLVED, Basis, Script
from fitlint.findings import Severity
from fitlint.plugin import Check, discover

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
FIX_SECTION = "Fix safety"


@dataclass(frozen=True)
class Valid:
    """Code the rule must stay silent on (put the traps here)."""

    code: str


@dataclass(frozen=True)
class Invalid:
    """Code the rule must flag. ``line`` (1-based) pins the reported line when given;
    ``fixed`` is the source after the rule's fix, where it has one."""

    code: str
    line: int | None = None
    fixed: str | None = None


@dataclass(frozen=True)
class Edit:
    """One change to the tree, anchored on a node of the analyzed module.

    ``replacement`` replaces the node (``cst.RemovalSentinel.REMOVE`` deletes a statement; None
    keeps it); ``before`` / ``after`` insert statements around a statement node. Moving a
    statement is a removal plus an insertion elsewhere.
    """

    node: cst.CSTNode
    replacement: Any = None
    before: tuple[cst.BaseStatement, ...] = ()
    after: tuple[cst.BaseStatement, ...] = ()


@dataclass(frozen=True)
class Fix:
    description: str
    edits: tuple[Edit, ...] = ()
    safe: bool = True


@dataclass(frozen=True)
class Report:
    """What a rule yields: the node to point at and the message; the engine adds positions.
    ``basis``: how the facts the finding rests on were established (see the module docstring)."""

    node: cst.CSTNode
    message: str
    severity: Severity | None = None
    fix: Fix | None = None
    statement: cst.CSTNode | None = None
    basis: Basis = RESOLVED
    # where the finding's span ends, when not at the end of ``node``: an evaluation loop reported
    # from its header to the forward pass it is about, not to its last line. Where that is more
    # than ``LONG_SPAN`` lines, the finding is the forward pass alone (what the message names):
    # an annotation over a screenful of loop points at nothing in particular
    end: cst.CSTNode | None = None
    # for a span over ``LONG_SPAN`` lines: the finding is ``node`` alone instead of ``end`` alone (a
    # best-so-far comparison whose checkpoint save comes many lines later is the decision to change)
    long_span_keeps_node: bool = False


LONG_SPAN = 10


def severity_of(rule: Rule, report: Report) -> Severity:
    """The severity a finding is shown with: the report's (or the rule's default), and never
    ``error`` when the finding rests on a guess."""
    severity = report.severity or rule.severity
    if severity is Severity.ERROR and not report.basis.resolved:
        return Severity.WARNING
    return severity


class Rule(Check):
    DOC_SECTIONS = DOC_SECTIONS
    DOCS_FOLDER = "rules"
    fixable: ClassVar[bool] = False
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def check(self, script: Script) -> Iterator[Report]:
        raise NotImplementedError

    @classmethod
    def traits(cls) -> list[str]:
        return [cls.severity.value, "fixable" if cls.fixable else "no automatic fix",
                "default on" if cls.default_enabled else "default off"]


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class in ``fitlint.rules``, sorted by code (discovered, never listed)."""
    return tuple(sorted(discover("fitlint.rules", Rule), key=lambda rule: rule.code))


def rules_by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}
