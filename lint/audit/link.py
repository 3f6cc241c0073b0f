"""Linking: every log finding to the static findings the table says can cause it, ranked."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from fitlint.audit.table import UNSEEN_CAUSES, Symptom, UnseenCause, symptoms_by_code, symptoms_caused_by
from fitlint.findings import Finding
from fitlint.logs.finding import LogFinding


@dataclass(frozen=True)
class Link:
    """A symptom in the logs and one line of the script that can cause it."""

    symptom: LogFinding
    cause: Finding
    explanation: str

    def to_json(self) -> dict:
        return {"log_code": self.symptom.code, "scan_code": self.cause.code, "path": self.cause.path,
                "line": self.cause.line, "column": self.cause.column, "run": self.symptom.run,
                "log_path": self.symptom.path, "explanation": self.explanation}


@dataclass(frozen=True)
class Confirmed:
    """A symptom with its causes in the script, most likely first (the table's order)."""

    symptom: LogFinding
    links: tuple[Link, ...]


@dataclass(frozen=True)
class Unexplained:
    """A symptom no line of the script explains, with the causes a static pass cannot see."""

    symptom: LogFinding
    unseen: tuple[UnseenCause, ...]


@dataclass(frozen=True)
class NotVisible:
    """A finding in the script whose symptoms the logs do not show (empty: it never shows on curves)."""

    finding: Finding
    would_show_as: tuple[Symptom, ...]


@dataclass(frozen=True)
class Audit:
    files: tuple[str, ...]
    runs: tuple[tuple[str, str], ...]  # (name, path)
    scan: tuple[Finding, ...]
    logs: tuple[LogFinding, ...]
    confirmed: tuple[Confirmed, ...]
    unexplained: tuple[Unexplained, ...]
    not_visible: tuple[NotVisible, ...]

    @property
    def links(self) -> tuple[Link, ...]:
        return tuple(link for entry in self.confirmed for link in entry.links)

    @property
    def clean(self) -> bool:
        return not self.scan and not self.logs


def link(scan: Sequence[Finding], logs: Sequence[LogFinding], files: Sequence[str] = (),
         runs: Sequence[tuple[str, str]] = (), consulted: frozenset[str] = frozenset()) -> Audit:
    """Link every log finding to the scan findings the table says can cause it, and rank them.

    ``consulted``: codes the user's configuration leaves off (FIT602 no-regularization is off by
    default) that were run only to explain symptoms: their findings are kept where they are linked.
    """
    table = symptoms_by_code()
    confirmed: list[Confirmed] = []
    unexplained: list[Unexplained] = []
    for symptom in logs:
        entry = table.get(symptom.code)
        causes = entry.causes if entry else ()
        # Table order first (the likelier cause), then the script's order of the findings.
        links = tuple(Link(symptom, finding, cause.explanation)
                      for cause in causes for finding in scan if finding.code == cause.scan_code)
        if links:
            confirmed.append(Confirmed(symptom, links))
        else:
            unseen = tuple(UNSEEN_CAUSES[key] for key in entry.unseen) if entry else ()
            unexplained.append(Unexplained(symptom, unseen))
    linked = {item.cause for entry in confirmed for item in entry.links}
    scan = [f for f in scan if f.code not in consulted or f in linked]
    not_visible = [NotVisible(f, symptoms_caused_by(f.code)) for f in scan if f not in linked]
    return Audit(
        files=tuple(files), runs=tuple(runs), scan=tuple(scan), logs=tuple(logs),
        confirmed=tuple(sorted(confirmed, key=_confirmed_rank)),
        unexplained=tuple(sorted(unexplained, key=lambda u: _symptom_rank(u.symptom))),
        not_visible=tuple(sorted(not_visible, key=_not_visible_rank)),
    )


def _symptom_rank(symptom: LogFinding) -> tuple:
    return (-symptom.severity.rank, symptom.path, symptom.run, symptom.code)


def _confirmed_rank(entry: Confirmed) -> tuple:
    # The worst symptom first; between equals, the one more lines of the script point at.
    severity, *rest = _symptom_rank(entry.symptom)
    return (severity, -len({link.cause.code for link in entry.links}), *rest)


def _not_visible_rank(entry: NotVisible) -> tuple:
    # Mistakes that can show on curves before those that never do, errors before warnings.
    return (not entry.would_show_as, -entry.finding.severity.rank, entry.finding.sort_key())
