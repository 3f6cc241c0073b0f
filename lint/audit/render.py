"""The audit's output: text, markdown and JSON."""

from __future__ import annotations

import json

from fitlint.audit.link import Audit, NotVisible
from fitlint.audit.table import UnseenCause
from fitlint.findings import Finding
from fitlint.logs.finding import LogFinding

FORMATS = ("text", "markdown", "json")
NOTHING_FOUND = "No mistakes found in the script and no symptoms in the logs."


def _where(finding: Finding) -> str:
    cell = f":cell {finding.cell}" if finding.cell is not None else ""
    return f"{finding.path}{cell}:{finding.line}:{finding.column}"


def _point(symptom: LogFinding) -> str:
    """Where on the curves: 'validation accuracy, epoch 13' (empty when the finding has no point)."""
    series = " ".join(part for part in (symptom.split, symptom.metric) if part)
    if symptom.epoch is not None:
        point = f"epoch {symptom.epoch}"
    elif "step" in symptom.evidence:
        point = f"step {symptom.evidence['step']}"
    else:
        point = ""
    return ", ".join(part for part in (series, point) if part)


def _at(symptom: LogFinding) -> str:
    point = _point(symptom)
    return f" ({point})" if point else ""


def _counts(audit: Audit) -> str:
    def plural(n: int, word: str) -> str:
        return f"{n} {word}{'' if n == 1 else 's'}"

    parts = [text for n, text in (
        (len(audit.confirmed), f"{plural(len(audit.confirmed), 'symptom')} confirmed by the script"),
        (len(audit.unexplained), f"{plural(len(audit.unexplained), 'symptom')} the script does not explain"),
        (len(audit.not_visible), f"{plural(len(audit.not_visible), 'finding')} in the script not visible in these logs"),
    ) if n]
    if not audit.logs:
        parts.append("no symptom in the logs")
    if not audit.scan:
        parts.append("no mistake found in the script")
    return ", ".join(parts)


def _scope(audit: Audit, span=lambda value: value) -> str:
    """'train.py and 1 imported file (helpers.py) against 1 run (run-a)'; ``span`` marks up names."""
    script, imported = audit.files[0], audit.files[1:]
    files = span(script)
    if imported:
        files += f" and {len(imported)} imported file{'s' if len(imported) != 1 else ''} " \
                 f"({', '.join(map(span, imported))})"
    runs = ", ".join(span(name) for name, _ in audit.runs)
    return f"{files} against {len(audit.runs)} run{'s' if len(audit.runs) != 1 else ''} ({runs})"


def _unseen_text(cause: UnseenCause) -> str:
    points = f" (seed point{'s' if len(cause.seed_points) > 1 else ''} {', '.join(map(str, cause.seed_points))})" \
        if cause.seed_points else ""
    return f"{cause.title}{points}: {cause.check}"


def _shows_as(entry: NotVisible) -> str:
    if not entry.would_show_as:
        return "leaves no mark on training curves"
    return "would show as " + ", ".join(f"{s.log_code} {s.log_name}" for s in entry.would_show_as)


def text(audit: Audit) -> str:
    out = [f"fitlint audit: {_scope(audit)}", ""]
    if audit.clean:
        return "\n".join(out + [NOTHING_FOUND])
    out += [_counts(audit) + ".", ""]
    number = 0
    if audit.confirmed:
        out.append("CONFIRMED: symptoms in the logs with a cause in the script (most likely first)")
        for entry in audit.confirmed:
            number += 1
            out += _symptom_lines(number, entry.symptom)
            out.append("     likely caused by:")
            for item in entry.links:
                out.append(f"       {_where(item.cause)}  {item.cause.code} {item.cause.name} [{item.cause.severity.value}]")
                out.append(f"           {item.explanation}")
        out.append("")
    if audit.unexplained:
        out.append("NOT EXPLAINED BY THE SCRIPT: symptoms whose cause a static pass cannot see")
        for unexplained in audit.unexplained:
            number += 1
            out += _symptom_lines(number, unexplained.symptom)
            if unexplained.unseen:
                out.append("     check:")
                out += [f"       - {_unseen_text(cause)}" for cause in unexplained.unseen]
        out.append("")
    if audit.not_visible:
        out.append("NOT VISIBLE IN THESE LOGS: mistakes in the script these curves do not show (still worth fixing)")
        for entry in audit.not_visible:
            f = entry.finding
            out.append(f"  {_where(f)}  {f.code} {f.name} [{f.severity.value}]: {_shows_as(entry)}")
            out.append(f"      {f.message}")
        out.append("")
    linked = list(dict.fromkeys(item.cause for item in audit.links))
    if linked:
        out.append("WHAT TO CHANGE: the confirmed causes")
        for f in linked:
            out.append(f"  {_where(f)}  {f.code} {f.name}: {f.message}")
        out.append("")
    return "\n".join(out).rstrip()


def _symptom_lines(number: int, symptom: LogFinding) -> list[str]:
    return [f"  {number}. {symptom.code} {symptom.name} [{symptom.severity}] in run {symptom.run}{_at(symptom)}",
            f"     {symptom.message}"]


def _cell(value: str) -> str:
    """Text that stays inside one markdown table cell."""
    return " ".join(value.split()).replace("|", "\\|")


def _code_span(value: str) -> str:
    fence = "``" if "`" in value else "`"
    return f"{fence}{value}{fence}"


def _md_where(finding: Finding) -> str:
    cell = f":cell {finding.cell}" if finding.cell is not None else ""
    return _code_span(f"{finding.path}{cell}:{finding.line}")


def markdown(audit: Audit) -> str:
    out = [f"### fitlint audit of {_code_span(audit.files[0])}", "",
           f"Scanned {_scope(audit, _code_span)}.", ""]
    if audit.clean:
        return "\n".join(out + [f"**{NOTHING_FOUND}**"])
    out += [f"**{_counts(audit)}.**", ""]
    if audit.confirmed:
        out += ["#### Confirmed causes", "",
                "| # | symptom in the logs | run | mistake in the script | where | how it causes the symptom |",
                "|---|---|---|---|---|---|"]
        for number, entry in enumerate(audit.confirmed, 1):
            s = entry.symptom
            for index, item in enumerate(entry.links):
                # The symptom once per group: the following rows list its other causes.
                symptom, run = (f"{s.code} {s.name} ({_cell(', '.join(filter(None, (s.severity, _point(s)))))})",
                                _code_span(s.run)) if index == 0 else ("", "")
                out.append(f"| {number} | {symptom} | {run} | {item.cause.code} {item.cause.name} "
                           f"| {_md_where(item.cause)} | {_cell(item.explanation)} |")
        out.append("")
    if audit.unexplained:
        out += ["#### Symptoms the script does not explain", ""]
        for unexplained in audit.unexplained:
            s = unexplained.symptom
            out.append(f"**{s.code} {s.name}** ({s.severity}) in {_code_span(s.run)}{_at(s)}: {s.message}")
            out.append("")
            if unexplained.unseen:
                out.append("Causes a static pass cannot see, and what to check:")
                out += [f"- {_unseen_text(cause)}" for cause in unexplained.unseen]
                out.append("")
    if audit.not_visible:
        out += ["#### Not visible in these logs (still worth fixing)", "",
                "| mistake in the script | where | symptom it can cause |", "|---|---|---|"]
        for entry in audit.not_visible:
            f = entry.finding
            out.append(f"| {f.code} {f.name} ({f.severity.value}) | {_md_where(f)} | {_cell(_shows_as(entry))} |")
        out.append("")
    out += ["#### Details", ""]
    for f in audit.scan:
        out.append(f"- {_md_where(f)} **{f.code}** {f.name} ({f.severity.value}): {f.message}")
    for s in audit.logs:
        out.append(f"- **{s.code}** {s.name} ({s.severity}) in {_code_span(s.run)}{_at(s)}: {s.message}")
    return "\n".join(out)


def to_json(audit: Audit) -> dict:
    return {
        "files": list(audit.files),
        "runs": [{"name": name, "path": path} for name, path in audit.runs],
        "scan": [f.to_json() for f in audit.scan],
        "logs": [f.to_json() for f in audit.logs],
        "links": [item.to_json() for item in audit.links],
        "unexplained": [
            {"log_code": u.symptom.code, "run": u.symptom.run, "log_path": u.symptom.path,
             "unseen_causes": [{"cause": c.title, "seed_points": list(c.seed_points), "check": c.check}
                               for c in u.unseen]}
            for u in audit.unexplained],
        "not_visible": [
            {"scan_code": n.finding.code, "path": n.finding.path, "line": n.finding.line,
             "column": n.finding.column, "would_show_as": [s.log_code for s in n.would_show_as]}
            for n in audit.not_visible],
        "summary": {"confirmed": len(audit.confirmed), "unexplained": len(audit.unexplained),
                    "not_visible": len(audit.not_visible)},
    }


RENDERERS = {"text": text, "markdown": markdown, "json": lambda audit: json.dumps(to_json(audit), indent=2)}
