"""``fitlint audit SCRIPT --logs PATH``: the command (see the package's docstring for what it does)."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from typing import TYPE_CHECKING, List, Optional, Sequence

from fitlint.audit.link import link
from fitlint.audit.project import source_files
from fitlint.audit.render import FORMATS, RENDERERS
from fitlint.audit.table import symptoms_by_code
from fitlint.findings import Finding, Severity

if TYPE_CHECKING:
    import typer

    from fitlint.logs.engine import LogReport

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

HELP = (
    "Run the scanner on SCRIPT and the log analyzer on its runs under --logs PATH, and link them: "
    "which symptom in the curves each mistake in the script explains.\n\n"
    "Every run under PATH is taken to be a run of SCRIPT. The project files SCRIPT imports (modules and "
    "packages in its folder, followed through their own imports) are scanned with it; nothing is "
    "imported or executed.\n\n"
    "Exit status: 0 nothing found, 1 a finding in the script or a warning/error in the logs, 2 usage "
    "error (missing script or log path, nothing readable under PATH, bad option)."
)


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
    notices: tuple[str, ...]  # what was not fully analysed (a spent --file-timeout budget...)
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
    notices = tuple(line for result in results for line in result.notices)
    return ScanOutcome(tuple(file.display for file in files), findings, errors, notices, consulted)


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
    for line in scanned.notices + scanned.errors + tuple(report.errors) + tuple(report.failed):
        _say(line)
    if not report.runs:
        if not report.errors and not report.failed:  # the analyzer already said why for each path
            _say(f"no readable training log under {', '.join(request.logs)}")
        return EXIT_ERROR
    if request.plot:
        _plot(report, request.plot)
    audit = link(scanned.findings, report.findings, scanned.files, [(run.name, run.path) for run in report.runs],
                 scanned.consulted)
    print(RENDERERS[request.output_format](audit))
    if scanned.errors or report.failed:
        return EXIT_ERROR  # as `fitlint scan`: a rule that crashed may have hidden a finding
    serious = [f for f in audit.logs if f.severity.rank >= Severity.WARNING.rank]
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
