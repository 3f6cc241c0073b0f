"""The rule framework: what a rule declares, how it reports, and how rules are discovered.

A rule is one class in one module of ``fitlint.rules``. It declares a stable code, a kebab-case
name for the pattern it flags, a default severity, its documentation (the class docstring, with
the sections in ``DOC_SECTIONS``) and its own VALID / INVALID examples, which the test suite turns
into parametrized tests. A rule never parses or traverses a file itself: it reads the shared
analysis of the script (``fitlint.analysis.script.Script``) built once per file by the engine.
"""

from __future__ import annotations

import importlib
import pkgutil
import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Iterator

import libcst as cst

from fitlint.docs import doc_sections
from fitlint.findings import Severity

if TYPE_CHECKING:
    from fitlint.analysis.script import Script

DOC_SECTIONS = ("What it does", "Why is this bad?", "Example", "Use instead", "References")
FIX_SECTION = "Fix safety"
HELP_URI = "https://github.com/fitlint/fitlint/blob/main/rules/{module}.py"


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
    """What a rule yields: the node to point at and the message; the engine adds positions."""

    node: cst.CSTNode
    message: str
    severity: Severity | None = None
    fix: Fix | None = None
    statement: cst.CSTNode | None = None


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity] = Severity.WARNING
    default_enabled: ClassVar[bool] = True
    fixable: ClassVar[bool] = False
    options: ClassVar[dict[str, Any]] = {}
    VALID: ClassVar[list[Valid]] = []
    INVALID: ClassVar[list[Invalid]] = []

    def __init__(self, options: dict[str, Any] | None = None) -> None:
        self.opts = {**self.options, **(options or {})}

    def check(self, script: Script) -> Iterator[Report]:
        raise NotImplementedError

    @classmethod
    def module_name(cls) -> str:
        return cls.__module__.rsplit(".", 1)[-1]

    @classmethod
    def help_uri(cls) -> str:
        return HELP_URI.format(module=cls.module_name())

    @classmethod
    def doc(cls) -> str:
        return textwrap.dedent(cls.__doc__ or "").strip()

    @classmethod
    def summary(cls) -> str:
        """The first paragraph of 'What it does', on one line."""
        section = doc_sections(cls.doc()).get("What it does", "")
        first = section.split("\n\n", 1)[0]
        return " ".join(first.split())


@lru_cache(maxsize=1)
def all_rules() -> tuple[type[Rule], ...]:
    """Every rule class in ``fitlint.rules``, sorted by code (discovered, never listed)."""
    import fitlint.rules as package

    found = []
    for info in pkgutil.iter_modules(package.__path__):
        if info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, Rule)
                and value is not Rule
                and value.__module__ == module.__name__
            ):
                found.append(value)
    return tuple(sorted(found, key=lambda rule: rule.code))


def rules_by_code() -> dict[str, type[Rule]]:
    return {rule.code: rule for rule in all_rules()}
