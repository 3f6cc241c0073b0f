"""The fix loop: fixes are applied in passes, and a fix is kept only when the re-scan proves it.

Each pass applies the fixes that can go together (``apply.select_compatible``) and re-scans the
file. A pass is kept when every fixed finding is gone and no finding appeared; otherwise its fixes
are tried one at a time on top of those already kept, and a fix that leaves its finding behind or
adds one is dropped: that is a bug in the rule that offered it, reported as one line, and the
file keeps the other fixes. A fix that would insert a statement next to an identical one is
dropped the same way, so no edit is ever made twice at the same place, and so is one that would
insert code reading a name above its assignment (``fitlint.fixes.bindings``). A finding whose fix was
dropped is not offered again, and every kept pass removes at least one finding without adding
any, so the loop ends and a second ``--fix`` finds nothing left to do.

Findings are matched across passes by code and by the text they point at (whitespace
collapsed), not by line: lines move as fixes insert code, and a wrapped loop is re-indented.
A finding whose text another fix changed is the same finding when its code's count did not grow.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Callable, Protocol, Sequence

import libcst as cst

from fitlint.findings import Finding
from fitlint.fixes.apply import apply_fixes, repeated_insertions, select_compatible
from fitlint.fixes.bindings import unbound_insertions
from fitlint.rule import Fix, Report

# A file converges well before this; the bound only guards against a rule bug not caught below.
MAX_PASSES = 10


class Scanned(Protocol):
    """What the loop needs of a scan (``fitlint.engine.FileResult`` with ``keep_reports``)."""

    findings: list[Finding]
    fixes: list[tuple[Finding, Report]]
    module: cst.Module | None


@dataclass(frozen=True)
class Candidate:
    finding: Finding
    fix: Fix


@dataclass
class Converged:
    """The fixed text, its scan, how many findings disappeared, and one line per dropped fix."""

    text: str
    result: Scanned
    first: Scanned  # the scan of the text before any fix
    disappeared: int
    problems: list[str] = field(default_factory=list)
    refused: set[tuple] = field(default_factory=set)  # identities of findings whose fix was not made


@dataclass(frozen=True)
class _Verdict:
    stayed: tuple[str, ...] = ()  # codes of fixed findings still reported
    added: tuple[str, ...] = ()  # codes of findings that appeared

    @property
    def ok(self) -> bool:
        return not self.stayed and not self.added


def identity(lines: Sequence[str], finding: Finding) -> tuple:
    """What a finding is across edits: its code and the text it points at on its first line."""
    line = lines[finding.line - 1] if 0 < finding.line <= len(lines) else ""
    end = finding.end_column - 1 if finding.end_line == finding.line else len(line)
    return finding.code, " ".join(line[finding.column - 1:end].split()), finding.suppressed


def judge(before: Sequence[tuple], after: Sequence[tuple], fixed: Sequence[tuple]) -> _Verdict:
    """Whether going from the findings ``before`` to ``after`` removed every finding in ``fixed``
    and added none (identities, see :func:`identity`)."""
    stayed: list[str] = []
    added: list[str] = []
    for code in sorted({key[0] for key in (*before, *after)}):
        was = Counter(key for key in before if key[0] == code)
        now = Counter(key for key in after if key[0] == code)
        targets = Counter(key for key in fixed if key[0] == code)
        for key, count in targets.items():
            left = now[key] - (was[key] - count)
            stayed += [code] * min(max(left, 0), count)
        # a finding whose text another edit changed shows as one gone and one new: pair them
        changed = sum(((was - now) - targets).values())
        new = sum((now - was).values()) - changed
        added += [code] * max(new, 0)
    return _Verdict(tuple(stayed), tuple(added))


def _offered(finding: Finding, report: Report, unsafe: bool) -> bool:
    fix = report.fix
    return fix is not None and bool(fix.edits) and not finding.suppressed and (fix.safe or unsafe)


def _problem(where: str, code: str, reason: str) -> str:
    return (f"{where}: {code}'s fix was not applied: {reason} (a bug in fitlint's {code} rule; "
            "the other fixes were kept)")


def _reason(verdict: _Verdict, code: str) -> str:
    # a finding of the fixed code whose text the fix changed is the same finding, not a new one
    if verdict.stayed or code in verdict.added:
        return "it did not remove its finding"
    return f"it would add a {', '.join(sorted(set(verdict.added)))} finding"


class _Loop:
    def __init__(self, locate: Callable[[Finding], str], scan: Callable[[str], Scanned], unsafe: bool,
                 allowed: Callable[[Scanned, Candidate], bool] | None,
                 accept: Callable[[str], bool] | None) -> None:
        self.locate = locate
        self.scan = scan
        self.unsafe = unsafe
        self.allowed = allowed
        self.accept = accept
        self.spent: set[tuple] = set()  # identities of findings whose fix was dropped or refused
        self.problems: list[str] = []

    def candidates(self, text: str, result: Scanned) -> list[Candidate]:
        lines = text.splitlines()
        found = []
        for finding, report in result.fixes:
            if not _offered(finding, report, self.unsafe) or identity(lines, finding) in self.spent:
                continue
            candidate = Candidate(finding, report.fix)
            if self.allowed is not None and not self.allowed(result, candidate):
                self.spent.add(identity(lines, finding))
                continue
            found.append(candidate)
        return found

    def drop(self, lines: Sequence[str], candidate: Candidate, reason: str | None) -> None:
        self.spent.add(identity(lines, candidate.finding))
        if reason is not None:
            self.problems.append(_problem(self.locate(candidate.finding), candidate.finding.code, reason))

    def attempt(self, module: cst.Module, fixes: Sequence[Fix]) -> tuple[str, Scanned]:
        text = apply_fixes(module, fixes)[0].code
        return text, self.scan(text)

    def run_pass(self, text: str, result: Scanned) -> tuple[str, Scanned] | None:
        """The text and scan after one pass, or None when nothing more can be fixed."""
        lines = text.splitlines()
        by_fix = {id(candidate.fix): candidate for candidate in self.candidates(text, result)}
        chosen = [by_fix[id(fix)] for fix in select_compatible([c.fix for c in by_fix.values()])]
        fixes = [candidate.fix for candidate in chosen]
        refused = {key: "it would insert a statement next to an identical one"
                   for key in repeated_insertions(result.module, fixes)}
        for key in unbound_insertions(result.module, fixes):
            refused.setdefault(key, "it would read a name before the statement that assigns it")
        for candidate in chosen:
            if id(candidate.fix) in refused:
                self.drop(lines, candidate, refused[id(candidate.fix)])
        chosen = [candidate for candidate in chosen if id(candidate.fix) not in refused]
        if not chosen:
            return (text, result) if refused else None
        keys = [identity(lines, finding) for finding in result.findings]
        new_text, new = self.attempt(result.module, [candidate.fix for candidate in chosen])
        fixed = [identity(lines, candidate.finding) for candidate in chosen]
        if new.module is not None and judge(keys, [identity(new_text.splitlines(), f) for f in new.findings], fixed).ok and (
                self.accept is None or self.accept(new_text)):
            return new_text, new
        return self.one_at_a_time(text, result, chosen)

    def one_at_a_time(self, text: str, result: Scanned, chosen: list[Candidate]) -> tuple[str, Scanned]:
        lines = text.splitlines()
        kept: list[Fix] = []
        base_text, base = text, result
        for candidate in chosen:
            new_text, new = self.attempt(result.module, [*kept, candidate.fix])
            verdict = judge([identity(base_text.splitlines(), f) for f in base.findings],
                            [identity(new_text.splitlines(), f) for f in new.findings],
                            [identity(lines, candidate.finding)])
            if new.module is None:
                # whether or not FIT000 is selected, a fixed text that does not parse is never kept
                self.drop(lines, candidate, "its result would not parse")
            elif not verdict.ok:
                self.drop(lines, candidate, _reason(verdict, candidate.finding.code))
            elif self.accept is not None and not self.accept(new_text):
                self.drop(lines, candidate, None)
            else:
                kept.append(candidate.fix)
                base_text, base = new_text, new
        return base_text, base


def converge(display: str, source: str, scan: Callable[[str], Scanned], unsafe: bool = False,
             allowed: Callable[[Scanned, Candidate], bool] | None = None,
             accept: Callable[[str], bool] | None = None,
             locate: Callable[[Finding], str] | None = None) -> Converged:
    """Fix ``source`` until no offered fix is left. ``scan`` re-scans a text (keeping reports);
    ``allowed`` refuses a fix before it is tried and ``accept`` refuses a fixed text (notebooks:
    an edit across cells or on an IPython line); neither refusal is a rule's bug. ``locate``
    names where a finding is in the lines reporting a dropped fix (default ``path:line``)."""
    loop = _Loop(locate or (lambda finding: f"{display}:{finding.line}"), scan, unsafe, allowed, accept)
    first = scan(source)
    text, result = source, first
    for _ in range(MAX_PASSES):
        if result.module is None:
            break
        step = loop.run_pass(text, result)
        if step is None:
            break
        text, result = step
    disappeared = _active(first.findings) - _active(result.findings)
    return Converged(text, result, first, max(disappeared, 0), loop.problems, loop.spent)


def without_refused_fixes(findings: Sequence[Finding], lines_of: Callable[[Finding], Sequence[str]],
                          refused: set[tuple]) -> list[Finding]:
    """The findings, those whose fix ``--fix`` refused or dropped no longer marked fixable (the
    report after ``--fix`` must not offer what it just declined to do)."""
    return [replace(finding, fix=None) if identity(lines_of(finding), finding) in refused else finding
            for finding in findings]


def _active(findings: Sequence[Finding]) -> int:
    return sum(not finding.suppressed for finding in findings)
