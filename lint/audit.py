"""``fitlint audit SCRIPT --logs PATH``: tie the symptoms in a run's curves to the lines that cause them.

The scanner knows which mistakes a script holds but not whether they mattered; the log analyzer knows
what the curves show but not which line caused it. The audit runs both and links every log finding
to the static findings that can cause it, from the documented table in ``fitlint.audit_links``:

* confirmed: a symptom in the logs with at least one linked finding in the script;
* not explained by the script: a symptom with no linked finding, shown with the causes a static pass
  cannot see (the seed's list) and what to check for each;
* not visible in these logs: a finding in the script whose symptoms these curves do not show.

Every run under ``--logs`` is taken to be a run of the script (the logs carry no record of which
script wrote them). The script is scanned together with the project files it imports, found by
reading its import statements (never importing or executing anything).

Importing this module is cheap (the CLI imports it at start, and ``fitlint scan`` must not pay for
pandas or the rules): the scanner and the log analyzer are imported inside ``run_audit``.
"""

from __future__ import annotations

import ast
import json
import os
import sys
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, List, Optional, Sequence

from fitlint.audit_links import UNSEEN_CAUSES, Symptom, UnseenCause, symptoms_by_code, symptoms_caused_by
from fitlint.findings import Finding
from fitlint.logs.finding import SEVERITY_RANK, LogFinding

if TYPE_CHECKING:
    import typer

    from fitlint.files import SourceFile
    from fitlint.logs.engine import LogReport

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
FORMATS = ("text", "markdown", "json")
# A training script imports a handful of local helpers; the cap only guards against a script that
# sits at the top of a large source tree, where following every import would scan the whole tree.
MAX_PROJECT_FILES = 50
NOTHING_FOUND = "No mistakes found in the script and no symptoms in the logs."

HELP = (
    "Run the scanner on SCRIPT and the log analyzer on its runs under --logs PATH, and link them: "
    "which symptom in the curves each mistake in the script explains.\n\n"
    "Every run under PATH is taken to be a run of SCRIPT. The project files SCRIPT imports (modules and "
    "packages in its folder, followed through their own imports) are scanned with it; nothing is "
    "imported or executed.\n\n"
    "Exit status: 0 nothing found, 1 a finding in the script or a warning/error in the logs, 2 usage "
    "error (missing script or log path, nothing readable under PATH, bad option)."
)


# ---------------------------------------------------------------- the project's files


def project_files(script: Path) -> list[Path]:
    """``script`` and the project files it imports, transitively, in discovery order.

    "Project" is the script's folder: ``python script.py`` puts it first on sys.path, so an absolute
    ``import helpers`` or ``from models import net`` resolves there; relative imports resolve from
    the importing file's package. Modules outside the folder (torch, numpy) are never followed.
    """
    root = script.parent.resolve()
    found = [script.resolve()]
    queue = deque(found)
    while queue and len(found) < MAX_PROJECT_FILES:
        for target in local_imports(queue.popleft(), root):
            if target not in found and len(found) < MAX_PROJECT_FILES:
                found.append(target)
                queue.append(target)
    return found


def local_imports(path: Path, root: Path) -> list[Path]:
    """The files under ``root`` that ``path``'s import statements name (read with ``ast``, not run)."""
    tree = _parse(path)
    if tree is None:
        return []
    targets: list[Path] = []
    for level, module, names in _imports(tree):
        base = root if level == 0 else _package_dir(path, level)
        if base is None:
            continue
        parts = module.split(".") if module else []
        candidates = [base.joinpath(*parts)] if parts else []
        # ``from pkg import name`` may name a submodule (pkg/name.py) rather than an attribute.
        candidates += [base.joinpath(*parts, name) for name in names if name != "*"]
        for candidate in candidates:
            target = _module_file(candidate, root)
            if target is not None and target not in targets:
                targets.append(target)
    return targets


def _parse(path: Path) -> ast.Module | None:
    """The file's syntax tree, or None when it cannot be read or parsed (the scan reports that)."""
    try:
        if path.suffix == ".ipynb":
            from fitlint.notebook import NotebookError, read_notebook

            try:
                return ast.parse(read_notebook(path.read_text(encoding="utf-8", errors="replace")).source)
            except NotebookError:
                return None
        return ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _imports(tree: ast.Module) -> Iterator[tuple[int, str | None, tuple[str, ...]]]:
    """(level, module, imported names) for every import, including those inside functions or try."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            yield node.level, node.module, tuple(alias.name for alias in node.names)


def _package_dir(path: Path, level: int) -> Path | None:
    base = path.parent
    for _ in range(level - 1):
        base = base.parent
    return base


def _module_file(candidate: Path, root: Path) -> Path | None:
    """``candidate.py`` or ``candidate/__init__.py`` when it exists inside ``root``."""
    for option in (candidate.with_name(candidate.name + ".py"), candidate / "__init__.py"):
        if not option.is_file():
            continue
        resolved = option.resolve()
        # A symlink or ``..`` leading out of the project is someone else's code.
        if resolved == root or root in resolved.parents:
            return resolved
    return None


def source_files(script: str) -> list[SourceFile]:
    """The files to scan, each displayed relative to the script as the user named it."""
    from fitlint.files import SourceFile

    given = Path(script)
    root = given.parent.resolve()
    files = [SourceFile(given, script)]
    for path in project_files(given)[1:]:
        display = (given.parent / path.relative_to(root)).as_posix()
        files.append(SourceFile(path, display))
    return files


# ---------------------------------------------------------------- linking


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
    return (-SEVERITY_RANK[symptom.severity], symptom.path, symptom.run, symptom.code)


def _confirmed_rank(entry: Confirmed) -> tuple:
    # The worst symptom first; between equals, the one more lines of the script point at.
    severity, *rest = _symptom_rank(entry.symptom)
    return (severity, -len({link.cause.code for link in entry.links}), *rest)


def _not_visible_rank(entry: NotVisible) -> tuple:
    # Mistakes that can show on curves before those that never do, errors before warnings.
    return (not entry.would_show_as, -entry.finding.severity.rank, entry.finding.sort_key())


# ---------------------------------------------------------------- output


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


# ---------------------------------------------------------------- the command


@dataclass(frozen=True)
class AuditRequest:
    script: Optional[str]
    logs: tuple[str, ...]
    output_format: str = "text"
    num_classes: Optional[int] = None
    plot: Optional[str] = None
    exit_zero: bool = False


class UsageError(Exception):
    """Bad input: the message is the one line the user sees."""


def _check_request(request: AuditRequest) -> None:
    if request.output_format not in FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FORMATS)}, not {request.output_format!r}")
    if not request.script:
        raise UsageError("missing SCRIPT: fitlint audit SCRIPT --logs PATH")
    if not request.logs:
        raise UsageError("missing --logs PATH (the folder or file with the script's training logs)")
    if request.num_classes is not None and request.num_classes < 2:
        raise UsageError(f"--num-classes must be at least 2, not {request.num_classes}")
    if not os.path.exists(request.script):
        raise UsageError(f"{request.script}: no such file")
    if not os.path.isfile(request.script):
        raise UsageError(f"{request.script}: not a file (fitlint audit takes one training script; "
                         "fitlint scan takes folders)")
    for path in request.logs:
        if not os.path.exists(path):
            raise UsageError(f"{path}: no such file or directory")


@dataclass(frozen=True)
class ScanOutcome:
    files: tuple[str, ...]
    findings: tuple[Finding, ...]  # unsuppressed, script first
    errors: tuple[str, ...]  # internal errors of rules
    consulted: frozenset[str]  # linked codes the configuration leaves off, run to explain symptoms


def scan_project(script: str) -> ScanOutcome:
    """Scan the script and its project files. Raises UsageError for a bad configuration file."""
    from fitlint.config import ConfigError, selected_rules
    from fitlint.engine import scan_files
    from fitlint.rule import all_rules
    from fitlint.scan import ScanRequest, build_config

    try:
        # The same configuration `fitlint scan` would use from here (nearest pyproject/fitlint.yaml).
        config = build_config(ScanRequest(paths=[script]))
    except ConfigError as error:
        raise UsageError(str(error)) from None
    enabled = {rule.code for rule in selected_rules(config, all_rules())}
    consulted = frozenset(code for code in _linked_codes() if code not in enabled)
    if consulted:
        # An explicit `ignore` still wins: selected_rules subtracts it after extend_select.
        config = config.with_overrides(extend_select=tuple(sorted(consulted)))
    files = source_files(script)
    results = scan_files(files, config, jobs=1)
    findings = tuple(f for result in results for f in result.findings if not f.suppressed)
    errors = tuple(line for result in results for line in result.errors)
    return ScanOutcome(tuple(file.display for file in files), findings, errors, consulted)


def _linked_codes() -> set[str]:
    return {cause.scan_code for symptom in symptoms_by_code().values() for cause in symptom.causes}


def analyze_logs(paths: Sequence[str], num_classes: Optional[int]) -> LogReport:
    from fitlint.logs.engine import analyze

    return analyze(list(paths), num_classes=num_classes)


def _plot(report: LogReport, directory: str) -> None:
    from fitlint.logs.plot import MISSING, have_matplotlib, plot

    if not have_matplotlib():
        _say(MISSING)
        return
    for path in plot(report, directory):
        _say(f"wrote {path}")


def _say(message: str) -> None:
    print(f"fitlint audit: {message}", file=sys.stderr)


def run_audit(request: AuditRequest) -> int:
    try:
        _check_request(request)
        scanned = scan_project(request.script)
    except UsageError as error:
        _say(str(error))
        return EXIT_ERROR
    report = analyze_logs(request.logs, request.num_classes)
    for line in scanned.errors + tuple(report.errors):
        _say(line)
    if not report.runs:
        if not report.errors:  # the analyzer already said why for each path
            _say(f"no readable training log under {', '.join(request.logs)}")
        return EXIT_ERROR
    if request.plot:
        _plot(report, request.plot)
    audit = link(scanned.findings, report.findings, scanned.files, [(run.name, run.path) for run in report.runs],
                 scanned.consulted)
    print(RENDERERS[request.output_format](audit))
    if scanned.errors:
        return EXIT_ERROR  # as `fitlint scan`: a rule that crashed may have hidden a finding
    serious = [f for f in audit.logs if SEVERITY_RANK[f.severity] >= SEVERITY_RANK["warning"]]
    found = bool(audit.scan or serious)
    return EXIT_FINDINGS if found and not request.exit_zero else EXIT_CLEAN


def register(app: typer.Typer) -> None:
    import typer

    @app.command("audit", help=HELP)
    def audit(
        script: Optional[str] = typer.Argument(None, metavar="SCRIPT", help="The training script (.py or .ipynb)."),
        logs: Optional[List[str]] = typer.Option(None, "--logs", metavar="PATH",
                                                 help="The script's training logs: files or folders (repeatable)."),
        output_format: str = typer.Option("text", "--format", "-f", help="text, markdown or json."),
        num_classes: Optional[int] = typer.Option(None, "--num-classes",
                                                  help="Number of classes (chance = 1/K); else from run metadata."),
        plot: Optional[str] = typer.Option(None, "--plot", metavar="DIR",
                                           help="Write a PNG per run with the findings marked (needs matplotlib)."),
        exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when something is found."),
    ) -> None:
        raise typer.Exit(run_audit(AuditRequest(script, tuple(logs or ()), output_format, num_classes, plot,
                                                exit_zero)))
