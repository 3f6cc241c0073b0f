"""``fitlint scan``: from command-line values to findings on stdout and an exit code."""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path
from fitlint.cache import Cache, folder_for, wanted
from fitlint.config import Config, ConfigError, find_config, load_config, resolve_codes
from fitlint.engine import FileResult, FixOutcome, fix_source, instantiate, scan_files, scan_source
from fitlint.files import SourceError, SourceFile, decode_source, discover, link_outside, write_fixed
from fitlint.findings import Finding, Severity
from fitlint.plugin import comma_split
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
    file_timeout: float | None = None
    no_cache: bool = False


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
        file_timeout=request.file_timeout,
    )


def unified_diff(display: str, before: str, after: str) -> str:
    """``before`` -> ``after`` as a unified diff with git's header: ``a/`` and ``b/`` before a
    relative path, an absolute path as it is (``patch -p0`` applies it), and a tab after a path
    with a space in it."""
    if os.path.isabs(display):
        old, new = display, display
    else:
        old, new = f"a/{display}", f"b/{display}"
    tab = "\t" if " " in display else ""
    import difflib  # --diff only

    lines = list(difflib.unified_diff(before.splitlines(keepends=True), after.splitlines(keepends=True), n=3))
    if not lines:
        return ""
    header = f"--- {old}{tab}\n+++ {new}{tab}\n"
    body = lines[2:]  # difflib's own header lines
    return header + "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n" for line in body)


def outcome_diff(outcome: FixOutcome, display: str) -> str:
    """The diff of a fixed file; for a notebook, one diff per changed cell, named by the cell."""
    if not outcome.cells:
        return unified_diff(display, outcome.original, outcome.fixed)
    parts = []
    for cell, before, after in outcome.cells:
        if not (before.endswith("\n") or after.endswith("\n")):  # a cell's last line has no newline
            before, after = before + "\n", after + "\n"
        parts.append(unified_diff(f"{display}:cell {cell}", before, after))
    return "".join(parts)


def _print_in(text: str, encoding: str, display: str) -> bool:
    """Print a diff or a fixed source in the file's own encoding (a diff then applies to the
    file); False, after one line on stderr, when the text cannot be written in that encoding."""
    encoding = "utf-8" if encoding.lower().replace("_", "-") in ("utf-8", "utf-8-sig", "utf8") else encoding
    if encoding == "utf-8":
        sys.stdout.write(text)
        return True
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        _error(f"{display}: the result cannot be shown in the file's encoding ({encoding})")
        return False
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return True


def _plural(count: int, word: str) -> str:
    return f"{count} {word}{'s' if count != 1 else ''}"


@dataclass
class _Applied:
    """What fixing did to the files: their findings, the changed files, whether a write failed."""

    results: list[FileResult]
    changed: list[tuple[FixOutcome, SourceFile]]
    failed: bool


def _apply_outcomes(files: list[SourceFile], outcomes: list, write: bool) -> _Applied:
    """Findings after fixing, per file, and the (outcome, file) pairs whose text changed; writes
    the changed files when ``write``. A file that could not be written keeps its findings."""
    results: list[FileResult] = []
    changed = []
    fixed = 0
    failed = False
    for file, outcome in zip(files, outcomes):
        if not isinstance(outcome, FixOutcome):
            results.append(outcome)
            continue
        for line in outcome.problems:
            _error(line)
        if outcome.fixed == outcome.original:
            results.append(outcome.result)
            continue
        if write:
            problem = write_fixed(file, outcome.original, outcome.fixed)
            if problem is not None:
                _error(f"{file.display}: {problem}; not fixed")
                results.append(outcome.unfixed or outcome.result)
                failed = True
                continue
            target = link_outside(file, Path.cwd())
            if target is not None:
                _error(f"{file.display}: a link to {target}, outside the current folder: fixed that file")
        results.append(outcome.result)
        changed.append((outcome, file))
        fixed += outcome.applied
    if write and changed:
        _error(f"fixed {_plural(fixed, 'finding')} in {_plural(len(changed), 'file')}")
    return _Applied(results, changed, failed)


def _say_notices(result: FileResult) -> None:
    """What was not fully analysed in a file (its budget spent...): said, the exit code unchanged."""
    for line in result.notices:
        _error(line)


def _decoded_stdin(data: bytes, display: str) -> tuple[str, str] | None:
    """Source bytes read from stdin, decoded, and their encoding; None (after one line on stderr)
    when they cannot be decoded."""
    try:
        if display.endswith(".ipynb"):
            return data.decode("utf-8"), "utf-8"
        return decode_source(data, display)
    except UnicodeDecodeError as error:
        _error(f"{display}: cannot decode: invalid utf-8 byte at offset {error.start}")
    except SourceError as error:
        _error(str(error))
    return None


def _fix_stdin(request: ScanRequest, config: Config) -> int:
    """``--fix -`` prints the fixed source (the source as it came when it cannot be fixed),
    ``--diff -`` the diff, as ruff does; the findings left go to stderr with ``--fix``."""
    display = request.stdin_filename or "-"
    data = sys.stdin.buffer.read()
    read = _decoded_stdin(data, display)
    if read is None:
        if request.fix:  # an editor replacing its buffer with the output keeps the text
            sys.stdout.buffer.write(data)
        return EXIT_ERROR
    source, encoding = read
    outcome = fix_source(display, source, instantiate(config, display), config, request.unsafe_fixes, encoding)
    for line in outcome.problems + outcome.result.notices:
        _error(line)
    if request.diff:
        shown = _print_in(outcome_diff(outcome, display), encoding, display) if outcome.fixed != source else True
        return EXIT_ERROR if not shown else EXIT_FINDINGS if outcome.fixed != source else EXIT_CLEAN
    sys.stdout.flush()
    sys.stdout.buffer.write(outcome.fixed.encode(encoding))  # a BOM or a coding cookie's encoding kept
    sys.stdout.buffer.flush()
    findings = outcome.result.findings
    output = render(findings, request.output_format, rules=all_rules(), sources=outcome.result.sources,
                    color=False, files_scanned=1, show_suppressed=request.show_suppressed)
    if output and findings:
        sys.stderr.write(output if output.endswith("\n") else output + "\n")
    if outcome.result.errors:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(not finding.suppressed for finding in findings) else EXIT_CLEAN


def run_command(*, paths: list[str] | None, output_format: str, select: list[str] | None,
                extend_select: list[str] | None, ignore: list[str] | None, exclude: list[str] | None,
                severity: str | None, config_path: Path | None, stdin_filename: str | None, jobs: int | None,
                exit_zero: bool, show_suppressed: bool, color: bool | None, fix: bool, diff: bool,
                unsafe_fixes: bool, file_timeout: float | None, no_cache: bool) -> int:
    """``fitlint scan`` from its command-line parameters (as typer passes them) to an exit code."""
    request = ScanRequest(
        paths=list(paths or ["."]),
        output_format=output_format,
        select=_split_codes(select),
        extend_select=_split_codes(extend_select),
        ignore=_split_codes(ignore),
        exclude=_split_codes(exclude),
        severity=severity,
        config_path=config_path,
        stdin_filename=stdin_filename,
        jobs=jobs,
        show_suppressed=show_suppressed,
        color=sys.stdout.isatty() and "NO_COLOR" not in os.environ if color is None else color,
        fix=fix,
        diff=diff,
        unsafe_fixes=unsafe_fixes,
        file_timeout=file_timeout,
        no_cache=no_cache,
    )
    code = run_scan(request)
    return EXIT_CLEAN if exit_zero and code == EXIT_FINDINGS else code


def _split_codes(values: list[str] | None) -> tuple[str, ...] | None:
    """A repeatable, comma-separated option's values; None when the option was not given."""
    return None if values is None else comma_split(values)


def _once(findings: list[Finding]) -> list[Finding]:
    """The findings sorted, each mistake once: a definition imported by several scanned scripts
    is analysed with each of them (``fitlint.project``) and with its own file, and a finding in it
    may come from more than one of those scans."""
    seen: set[tuple] = set()
    kept = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = (finding.path, finding.cell, finding.line, finding.column, finding.code)
        if key not in seen:
            seen.add(key)
            kept.append(finding)
    return kept


def run_scan(request: ScanRequest) -> int:
    if request.output_format not in FORMATS:
        _error(f"unknown format {request.output_format!r} (expected one of: {', '.join(FORMATS)})")
        return EXIT_ERROR
    try:
        config = build_config(request)
    except ConfigError as error:
        _error(str(error))
        return EXIT_ERROR

    fixing = request.fix or request.diff
    if fixing and "-" in request.paths:
        if len(request.paths) > 1:
            _error("--fix and --diff read stdin alone: give '-' as the only path")
            return EXIT_ERROR
        return _fix_stdin(request, config)

    usage_error = False
    write_failed = False
    results: list[FileResult] = []
    displays: list[str] = []
    paths = [path for path in request.paths if path != "-"]
    if "-" in request.paths:
        display = request.stdin_filename or "<stdin>"
        source = sys.stdin.buffer.read().decode("utf-8", errors="replace")
        results.append(scan_source(display, source, instantiate(config, display), config))
        displays.append(display)
        _say_notices(results[-1])
    if paths:
        files, errors = discover(paths, exclude=config.exclude, root=config.root, suffixes=(".py", ".ipynb"))
        for line in errors:
            _error(line)
        usage_error = bool(errors)
        cache = Cache(folder_for(config)) if wanted(request.no_cache) else None
        outcomes = scan_files(files, config, request.jobs, fix=fixing, unsafe=request.unsafe_fixes, cache=cache)
        for outcome in outcomes:
            _say_notices(outcome.result if isinstance(outcome, FixOutcome) else outcome)
        if fixing:
            applied = _apply_outcomes(files, outcomes, write=request.fix)
            outcomes, write_failed = applied.results, applied.failed
            if request.diff:
                shown = all([_print_in(outcome_diff(outcome, file.display), outcome.encoding, file.display)
                             for outcome, file in applied.changed])
                if usage_error or not shown:
                    return EXIT_ERROR
                return EXIT_FINDINGS if applied.changed else EXIT_CLEAN
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
    findings = _once(findings)
    output = render(findings, request.output_format, rules=all_rules(), sources=sources,
                    color=request.color, files_scanned=len(displays), show_suppressed=request.show_suppressed)
    if output:
        sys.stdout.write(output if output.endswith("\n") else output + "\n")
    if usage_error or internal_error or write_failed:
        return EXIT_ERROR
    return EXIT_FINDINGS if any(not finding.suppressed for finding in findings) else EXIT_CLEAN
