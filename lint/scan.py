"""``fitlint scan``: from command-line values to findings on stdout and an exit code."""

from __future__ import annotations

import difflib
import sys
from dataclasses import dataclass
from pathlib import Path
from fitlint.config import Config, ConfigError, find_config, load_config, resolve_codes
from fitlint.engine import FileResult, FixOutcome, instantiate, scan_files, scan_source
from fitlint.files import SourceFile, discover, write_fixed
from fitlint.findings import Finding, Severity
from fitlint.reporters import FORMATS, render
from fitlint.rule import all_rules

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


@dataclass(frozen=True)
class ScanRequest:
    paths: list[str]
    output_format: str = "text"
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] | None = None
    exclude: tuple[str, ...] | None = None
    severity: str | None = None
    config_path: Path | None = None
    stdin_filename: str | None = None
    jobs: int | None = None
    show_suppressed: bool = False
    color: bool = False
    fix: bool = False
    diff: bool = False
    unsafe_fixes: bool = False


def _error(message: str) -> None:
    print(f"fitlint: {message}", file=sys.stderr)


def build_config(request: ScanRequest) -> Config:
    """The configuration file's settings with the command line's on top; raises ConfigError."""
    rules = all_rules()
    if request.config_path is not None:
        if not request.config_path.is_file():
            raise ConfigError(f"{request.config_path}: no such configuration file")
        path = request.config_path
    else:
        path = find_config(Path.cwd())
    config = load_config(path, rules)
    for option, values in (("--select", request.select), ("--extend-select", request.extend_select),
                           ("--ignore", request.ignore)):
        if values:
            try:
                resolve_codes(values, rules)
            except ConfigError as error:
                raise ConfigError(f"{option}: {error}") from None
    severity = None
    if request.severity is not None:
        try:
            severity = Severity.parse(request.severity)
        except ValueError as error:
            raise ConfigError(f"--severity: {error}") from None
    return config.with_overrides(
        select=request.select,
        extend_select=request.extend_select,
        ignore=request.ignore,
        exclude=request.exclude,
        severity=severity,
    )


def unified_diff(display: str, before: str, after: str) -> str:
    lines = difflib.unified_diff(
        before.splitlines(keepends=True), after.splitlines(keepends=True), f"a/{display}", f"b/{display}"
    )
    return "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in lines)


def _apply_outcomes(files: list[SourceFile], outcomes: list, write: bool):
    """Findings after fixing, per file, and the (outcome, file) pairs whose text changed; writes
    the changed files when ``write``."""
    results: list[FileResult] = []
    changed = []
    fixed = 0
    for file, outcome in zip(files, outcomes):
        if not isinstance(outcome, FixOutcome):
            results.append(outcome)
            continue
        results.append(outcome.result)
        if outcome.fixed == outcome.original:
            continue
        if write:
            problem = write_fixed(file, outcome.original, outcome.fixed)
            if problem is not None:
                _error(f"{file.display}: {problem}; not fixed")
                continue
        changed.append((outcome, file))
        fixed += outcome.applied
    if write and changed:
        _error(f"fixed {fixed} finding{'s' if fixed != 1 else ''} in {len(changed)} file{'s' if len(changed) != 1 else ''}")
    return results, changed


def run_scan(request: ScanRequest) -> int:
    if request.output_format not in FORMATS:
        _error(f"unknown format {request.output_format!r} (expected one of: {', '.join(FORMATS)})")
        return EXIT_ERROR
    try:
        config = build_config(request)
    except ConfigError as error:
        _error(str(error))
        return EXIT_ERROR

    usage_error = False
    results: list[FileResult] = []
    displays: list[str] = []
    paths = [path for path in request.paths if path != "-"]
    if "-" in request.paths:
        display = request.stdin_filename or "<stdin>"
        source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        results.append(scan_source(display, source, instantiate(config, display), config))
        displays.append(display)
    if paths:
        files, errors = discover(paths, exclude=config.exclude, root=config.root, suffixes=(".py", ".ipynb"))
        for line in errors:
            _error(line)
        usage_error = bool(errors)
        fixing = request.fix or request.diff
        outcomes = scan_files(files, config, request.jobs, fix=fixing, unsafe=request.unsafe_fixes)
        if fixing:
            outcomes, changed = _apply_outcomes(files, outcomes, write=request.fix)
            if request.diff:
                for outcome, file in changed:
                    sys.stdout.write(unified_diff(file.display, outcome.original, outcome.fixed))
                return EXIT_FINDINGS if changed else EXIT_CLEAN
        results += outcomes
        displays += [file.display for file in files]

    findings: list[Finding] = []
    sources: dict[str, str] = {}
    internal_error = False
    for display, result in zip(displays, results):
        findings += result.findings
        for line in result.errors:
            _error(line)
            internal_error = True
        if result.findings:
            sources.update(result.sources)
    findings.sort(key=Finding.sort_key)
    output = render(findings, request.output_format, rules=all_rules(), sources=sources,
                    color=request.color, files_scanned=len(displays), show_suppressed=request.show_suppressed)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    if usage_error or internal_error:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(not finding.suppressed for finding in findings) else EXIT_CLEAN
