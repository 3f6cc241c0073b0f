"""Run the selected rules over files: one parse and one analysis per file, positions only on demand.

A file's cost is: a substring prefilter (files that cannot hold training code are skipped before
parsing), one libcst parse, one plain traversal building the shared analysis (``fitlint.analysis.script``),
then every rule reads that analysis. Positions (libcst's PositionProvider costs more than the
parse: docs/speed.md) and suppression comments (a tokenize pass) are computed only for files that
have findings, with a code generation that records token indices rather than positions
(``fitlint.positions``).
"""

from __future__ import annotations

import ast
import os
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Sequence

import libcst as cst

from fitlint.config import Config, selected_rules
from fitlint.files import SourceError, SourceFile, could_hold_training_code, read_source, read_source_and_encoding
from fitlint.findings import Finding, Severity
from fitlint.fixes.converge import converge, without_refused_fixes
from fitlint.fixes.notebook import cell_sources, fix_allowed, marked_program, plain_origin
from fitlint.notebook import NotebookError, NotebookProgram, read_notebook, with_cell_sources
from fitlint.positions import node_positions
from fitlint.rule import Report, Rule, all_rules, severity_of
from fitlint.analysis.script import Script
from fitlint.suppression import Suppressions

PARSE_ERROR_CODE = "FIT000"
PARSE_ERROR_NAME = "syntax-error"
# Below this many files a process pool costs more than it saves (pre-commit passes a few files).
PARALLEL_THRESHOLD = 16


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # texts the reporter shows snippets from: the file's source, or "path:cell N" for notebooks
    sources: dict[str, str] = field(default_factory=dict)
    fixes: list[tuple[Finding, Report]] = field(default_factory=list)
    module: cst.Module | None = None


@dataclass
class FixOutcome:
    """A file's text before and after fixing, and its findings after."""

    original: str
    fixed: str
    applied: int  # findings that disappeared
    result: FileResult
    problems: list[str] = field(default_factory=list)  # one line per fix dropped as a rule's bug
    unfixed: FileResult | None = None  # the findings before fixing: the report if the write fails
    encoding: str = "utf-8"
    cells: list[tuple[int, str, str]] = field(default_factory=list)  # notebooks: (cell, before, after)


def scan_source(display: str, source: str, rules: Sequence[Rule], config: Config,
                keep_reports: bool = False) -> FileResult:
    """Scan one source text; ``display`` is the path shown in findings (``.ipynb``: a notebook)."""
    if display.endswith(".ipynb"):
        return scan_notebook(display, source, rules, config)
    return _scan_python(display, source, rules, config, keep_reports)


def scan_notebook(display: str, text: str, rules: Sequence[Rule], config: Config) -> FileResult:
    """Scan a notebook's code cells as one program; findings carry their cell and cell line, and
    a fix only where ``--fix`` can make it (one cell, no IPython line)."""
    codes = {rule.code for rule in rules}
    try:
        program = read_notebook(text)
    except NotebookError as error:
        result = FileResult()
        if PARSE_ERROR_CODE in codes:
            result.findings.append(_file_finding(display, str(error)))
        return result
    result = _scan_python(display, program.source, rules, config, keep_reports=True) if program.source else FileResult()
    fixable = _notebook_fixable(result, program)
    located = []
    for finding in result.findings:
        cell, line = program.place(finding.line)
        _, end_line = program.place(finding.end_line)
        column = finding.column + program.shift(finding.line)
        end_column = finding.end_column + program.shift(finding.end_line)
        # a cell the scan reads dedented cannot take an edit back (see fitlint.fixes.notebook)
        fix = finding.fix if id(finding) in fixable and not program.shift(finding.line) else None
        located.append(replace(finding, cell=cell, line=line, end_line=max(end_line, line), column=column,
                               end_column=end_column, fix=fix))
    if PARSE_ERROR_CODE in codes:
        for error in program.errors:
            located.append(Finding(PARSE_ERROR_CODE, PARSE_ERROR_NAME, Severity.ERROR,
                                   f"cannot parse: {error.message}", display, error.line, error.column,
                                   error.line, error.column + 1, cell=error.cell))
    located.sort(key=Finding.sort_key)
    sources = {f"{display}:cell {cell}": source for cell, source in program.cells.items()}
    return FileResult(findings=located, errors=result.errors, sources=sources)


def _notebook_fixable(result: FileResult, program: NotebookProgram) -> set[int]:
    """The findings (by ``id``) whose fix ``--fix`` can make in the notebook."""
    offered = [(finding, report.fix) for finding, report in result.fixes if report.fix is not None and report.fix.edits]
    if not offered or result.module is None:
        return set()
    origin = plain_origin(program)
    return {id(finding) for finding, fix in offered if fix_allowed(result.module, program.source, fix, origin)}


def fix_notebook(display: str, text: str, rules: Sequence[Rule], config: Config, unsafe: bool = False) -> FixOutcome:
    """Fix a notebook's cells (``fitlint.fixes.notebook``); the file's text changes only in the
    ``source`` of the cells that changed."""
    unfixed = scan_notebook(display, text, rules, config)
    try:
        program = read_notebook(text)
    except NotebookError:
        return FixOutcome(text, text, 0, unfixed, unfixed=unfixed)
    marked = marked_program(program)
    if not marked.text:
        return FixOutcome(text, text, 0, unfixed, unfixed=unfixed)

    def allowed(result: FileResult, candidate) -> bool:
        return fix_allowed(result.module, result.sources[display], candidate.fix, marked.origin)

    def locate(finding: Finding) -> str:
        place = marked.origins[finding.line - 1] if 0 < finding.line <= len(marked.origins) else None
        return f"{display}:cell {place[0]}:{place[1] + 1}" if place else display

    converged = converge(display, marked.text, lambda code: _scan_python(display, code, rules, config, keep_reports=True),
                         unsafe, allowed, lambda code: cell_sources(marked, code) is not None, locate)
    sources = cell_sources(marked, converged.text) or {}
    changed = {cell: source for cell, source in sources.items() if source != program.cells[cell]}
    fixed = with_cell_sources(text, changed)
    cells = [(cell, program.cells[cell], changed[cell]) for cell in sorted(changed)]
    result = scan_notebook(display, fixed, rules, config)
    result.findings = without_refused_fixes(
        result.findings, lambda finding: result.sources.get(f"{display}:cell {finding.cell}", "").splitlines(),
        converged.refused)
    return FixOutcome(text, fixed, converged.disappeared, result, converged.problems, unfixed, "utf-8", cells)


def _scan_python(display: str, source: str, rules: Sequence[Rule], config: Config,
                 keep_reports: bool = False) -> FileResult:
    result = FileResult(sources={display: source})
    codes = {rule.code for rule in rules}
    if not rules or not could_hold_training_code(source):
        return result
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError as error:
        if PARSE_ERROR_CODE in codes:
            result.findings.append(_parse_error_finding(display, source, error))
        return result
    except RecursionError:
        if PARSE_ERROR_CODE in codes:
            result.findings.append(_file_finding(display, "the file is nested too deeply to parse"))
        return result
    script = Script(display, source, module)
    if keep_reports:
        result.module = module
    reports: list[tuple[Rule, Report]] = []
    for rule in rules:
        if rule.code == PARSE_ERROR_CODE:
            continue
        try:
            reports.extend((rule, report) for report in rule.check(script))
        except Exception as error:  # a rule bug must not stop the scan of other files
            result.errors.append(f"{display}: internal error in {rule.code}: {type(error).__name__}: {error}")
    if not reports:
        return result
    nodes = [report.node for _, report in reports] + [r.statement for _, r in reports if r.statement is not None]
    hints = {id(report.node): report.statement for _, report in reports if report.statement is not None}
    positions = node_positions(module, nodes, source, hints)
    suppressions = Suppressions.parse(source)
    seen = set()
    for rule, report in reports:
        finding = _finding(display, rule, report, positions, suppressions)
        if finding.severity.rank < config.severity.rank:
            continue
        key = (finding.code, finding.line, finding.column, finding.message)
        if key in seen:
            continue
        seen.add(key)
        result.findings.append(finding)
        if keep_reports:
            result.fixes.append((finding, report))
    result.findings.sort(key=Finding.sort_key)
    return result


def _finding(display: str, rule: Rule, report: Report, positions: dict, suppressions: Suppressions) -> Finding:
    span = positions[id(report.node)]
    statement_line = None
    if report.statement is not None and id(report.statement) in positions:
        statement_line = positions[id(report.statement)].start.line
    return Finding(
        code=rule.code,
        name=rule.name,
        severity=severity_of(rule, report),
        message=report.message,
        path=display,
        line=span.start.line,
        column=span.start.column + 1,
        end_line=span.end.line,
        end_column=span.end.column + 1,
        fix=report.fix.description if report.fix is not None else None,
        fix_safe=report.fix is None or report.fix.safe,
        suppressed=suppressions.suppresses(rule.code, span.start.line, statement_line),
    )


def _parse_error_finding(display: str, source: str, error: cst.ParserSyntaxError) -> Finding:
    """Prefer CPython's own diagnosis (\"expected ':'\" on the right line) over libcst's, which
    points at the token after the mistake; ``ast.parse`` only parses, it runs nothing."""
    message, line, column = error.message, error.raw_line, error.raw_column + 1
    try:
        ast.parse(source, filename=display)
    except SyntaxError as python_error:
        if python_error.lineno:
            message, line = python_error.msg, python_error.lineno
            column = python_error.offset or 1
    except (ValueError, RecursionError, MemoryError):
        pass
    line, column = max(line, 1), max(column, 1)
    return Finding(PARSE_ERROR_CODE, PARSE_ERROR_NAME, Severity.ERROR, f"cannot parse: {message}",
                   display, line, column, line, column + 1)


def _file_finding(display: str, problem: str) -> Finding:
    return Finding(PARSE_ERROR_CODE, PARSE_ERROR_NAME, Severity.ERROR, problem, display, 1, 1, 1, 2)


def instantiate(config: Config, path: str | None = None) -> list[Rule]:
    return [rule(config.options_for(rule.code)) for rule in selected_rules(config, all_rules(), path)]


def scan_file(file: SourceFile, config: Config, keep_reports: bool = False) -> FileResult:
    rules = instantiate(config, file.display)
    try:
        source = read_source(file)
    except SourceError as error:
        result = FileResult()
        if any(rule.code == PARSE_ERROR_CODE for rule in rules):
            problem = str(error)
            prefix = f"{file.display}: "
            result.findings.append(_file_finding(file.display, problem[len(prefix):] if problem.startswith(prefix) else problem))
        return result
    return scan_source(file.display, source, rules, config, keep_reports)


def fix_source(display: str, source: str, rules: Sequence[Rule], config: Config, unsafe: bool = False,
               encoding: str = "utf-8") -> FixOutcome:
    """Apply the fixes of unsuppressed findings, each kept only when the re-scan shows its finding
    gone and nothing new (``fitlint.fixes.converge``). ``.ipynb``: a notebook's JSON text."""
    if display.endswith(".ipynb"):
        return fix_notebook(display, source, rules, config, unsafe)
    converged = converge(display, source, lambda text: _scan_python(display, text, rules, config, keep_reports=True),
                         unsafe)
    result = _without_tree(converged.result)
    lines = converged.text.splitlines()
    result.findings = without_refused_fixes(result.findings, lambda finding: lines, converged.refused)
    return FixOutcome(source, converged.text, converged.disappeared, result, converged.problems,
                      _without_tree(converged.first), encoding)


def _without_tree(result: FileResult) -> FileResult:
    # the reports hold the tree: not kept (they would travel back from a worker process)
    return replace(result, module=None, fixes=[])


def fix_file(file: SourceFile, config: Config, unsafe: bool = False) -> FixOutcome | FileResult:
    """A file's fix outcome; unreadable files are only scanned."""
    rules = instantiate(config, file.display)
    try:
        source, encoding = read_source_and_encoding(file)
    except SourceError:
        return scan_file(file, config)
    return fix_source(file.display, source, rules, config, unsafe, encoding)


def _work(args: tuple[str, SourceFile, Config, bool]):
    mode, file, config, unsafe = args
    return fix_file(file, config, unsafe) if mode == "fix" else scan_file(file, config)


def scan_files(files: Sequence[SourceFile], config: Config, jobs: int | None = None,
               fix: bool = False, unsafe: bool = False) -> list:
    """Scan (or fix) files, in parallel when there are enough; results come back in ``files`` order."""
    tasks = [("fix" if fix else "scan", file, config, unsafe) for file in files]
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        return [_work(task) for task in tasks]
    chunksize = max(1, len(files) // (jobs * 4))
    with ProcessPoolExecutor(max_workers=jobs) as pool:
        return list(pool.map(_work, tasks, chunksize=chunksize))
