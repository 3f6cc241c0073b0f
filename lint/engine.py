"""Run the selected rules over files: one parse and one analysis per file, positions only on demand.

A file's cost is: a substring prefilter (files that cannot hold training code are skipped before
parsing), one libcst parse, one plain traversal building the shared analysis (``fitlint.analysis.script``),
then every rule reads that analysis. Positions (libcst's PositionProvider costs more than the
parse: docs/speed.md) and suppression comments (a tokenize pass) are computed only for files that
have findings, with a code generation that records token indices rather than positions
(``fitlint.positions``). The parse skips libcst's per-node validation (``parse_module``).
"""

from __future__ import annotations

import ast
import gc
import os
import sys
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Iterator, Sequence

import libcst as cst

from fitlint import budget
from fitlint.config import Config, selected_rules
from fitlint.cache import Cache
from fitlint.files import SourceError, SourceFile, could_hold_training_code, decode_source, is_notebook, read_bytes
from fitlint.findings import Finding, Severity
from fitlint.positions import node_positions
from fitlint.project import Borrowed, borrow, dependencies, neighbour_facts
from fitlint.rule import LONG_SPAN, Report, Rule, all_rules, severity_of
from fitlint.analysis.script import Script
from fitlint.suppression import Suppressions

if TYPE_CHECKING:
    from fitlint.notebook import NotebookProgram

PARSE_ERROR_CODE = "FIT000"
PARSE_ERROR_NAME = "syntax-error"
# Below this many files a process pool costs more than it saves (pre-commit passes a few files).
PARALLEL_THRESHOLD = 16
# Files sent to a worker at a time: few enough that the workers finish together.
MAX_CHUNK = 8


@dataclass
class FileResult:
    findings: list[Finding] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    # lines about what was not fully analysed (a spent --file-timeout budget, a rule that gave up
    # on too deep a nesting): shown, but they do not change the exit code
    notices: list[str] = field(default_factory=list)
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
                keep_reports: bool = False, files: dict[str, bytes] | None = None) -> FileResult:
    """Scan one source text; ``display`` is the path shown in findings (``.ipynb``, or a notebook's
    JSON under another name: a notebook). ``files``: the project files a Python file borrows from
    (``fitlint.project.dependencies``) when the caller has read them already."""
    with _no_cycle_collection():
        if is_notebook(display, source):
            return scan_notebook(display, source, rules, config)
        return _scan_python(display, source, rules, config, keep_reports, files=files)


def scan_notebook(display: str, text: str, rules: Sequence[Rule], config: Config) -> FileResult:
    """Scan a notebook's code cells as one program; findings carry their cell and cell line, and
    a fix only where ``--fix`` can make it (one cell, no IPython line)."""
    from fitlint.notebook import NotebookError, read_notebook  # notebooks only

    codes = {rule.code for rule in rules}
    try:
        program = read_notebook(text)
    except NotebookError as error:
        result = FileResult()
        if PARSE_ERROR_CODE in codes:
            result.findings.append(_file_finding(display, str(error)))
        return result
    result = (_scan_python(display, program.source, rules, config, keep_reports=True, keep_borrowed=True)
              if program.source else FileResult())
    fixable = _notebook_fixable(result, program)
    located = []
    for finding in result.findings:
        if finding.path != display:  # made in a definition borrowed from a project module: reported there
            located.append(finding)
            continue
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
    return FileResult(findings=located, errors=result.errors, notices=result.notices, sources=sources)


def _notebook_fixable(result: FileResult, program: NotebookProgram) -> set[int]:
    """The findings (by ``id``) whose fix ``--fix`` can make in the notebook."""
    offered = [(finding, report.fix) for finding, report in result.fixes if report.fix is not None and report.fix.edits]
    if not offered or result.module is None:
        return set()
    from fitlint.fixes.notebook import fix_allowed, plain_origin

    origin = plain_origin(program)
    return {id(finding) for finding, fix in offered if fix_allowed(result.module, program.source, fix, origin)}


def fix_notebook(display: str, text: str, rules: Sequence[Rule], config: Config, unsafe: bool = False) -> FixOutcome:
    """Fix a notebook's cells (``fitlint.fixes.notebook``); the file's text changes only in the
    ``source`` of the cells that changed."""
    from fitlint.fixes.converge import converge, without_refused_fixes
    from fitlint.fixes.notebook import cell_sources, fix_allowed, marked_program
    from fitlint.notebook import NotebookError, read_notebook, with_cell_sources

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

    try:
        converged = converge(display, marked.text,
                             lambda code: _scan_python(display, code, rules, config, keep_reports=True, partial=False),
                             unsafe, allowed, lambda code: cell_sources(marked, code) is not None, locate)
    except budget.OutOfTime:
        return _not_fixed(display, text, unfixed, config)
    sources = cell_sources(marked, converged.text) or {}
    changed = {cell: source for cell, source in sources.items() if source != program.cells[cell]}
    fixed = with_cell_sources(text, changed)
    cells = [(cell, program.cells[cell], changed[cell]) for cell in sorted(changed)]
    result = scan_notebook(display, fixed, rules, config)
    result.findings = without_refused_fixes(
        result.findings, lambda finding: result.sources.get(f"{display}:cell {finding.cell}", "").splitlines(),
        converged.refused)
    return FixOutcome(text, fixed, converged.disappeared, result, converged.problems, unfixed, "utf-8", cells)


@contextmanager
def _no_cycle_collection() -> Iterator[None]:
    """The cycle collector paused while one file is parsed and analysed. A scan allocates a tree
    and its analysis and frees them all at the end by reference counting (``Script.release``
    breaks the analysis's cycles; tests/test_no_cycles.py keeps it so): collections in between
    only walked objects that were all still in use, a tenth of the analysis's time."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _no_validation(node: cst.CSTNode) -> None:
    pass


def parse_module(source: str) -> cst.Module:
    """``libcst.parse_module`` without the validation each node's constructor runs.

    Validation checks a node built by hand (an identifier that is not one, unbalanced parentheses);
    the parser builds only nodes of code it has just parsed, so every check passes, and they cost
    an eighth of the parse (libcst's own comment on ``CSTNode.__post_init__`` suggests moving them
    out of the parse). Nodes the fixes build are validated as usual: the switch is off outside the
    parse. Scans run one file at a time per process (``--jobs`` forks workers), so nothing else
    builds nodes meanwhile."""
    validate = cst.CSTNode.__post_init__
    cst.CSTNode.__post_init__ = _no_validation
    try:
        return cst.parse_module(source)
    finally:
        cst.CSTNode.__post_init__ = validate


def _scan_python(display: str, source: str, rules: Sequence[Rule], config: Config,
                 keep_reports: bool = False, partial: bool = True, borrowing: bool = True,
                 files: dict[str, bytes] | None = None, keep_borrowed: bool = False) -> FileResult:
    """Scan Python source. Within the file's budget (``config.file_timeout``): when it runs out,
    the findings of the rules that finished are kept and a notice names the file and the rule
    that was running; with ``partial=False`` OutOfTime is raised instead (a fix must not rest on
    a scan that left rules out). The analysis reads, after the file's own text, the definitions
    it imports from other files of the project (``fitlint.project``); findings stay in the file's
    own lines."""
    result = FileResult(sources={display: source})
    codes = {rule.code for rule in rules}
    if not rules or not could_hold_training_code(source):
        return result
    module = None
    analysed = source  # the text parsed: the user's, its rewrite (fitlint.legacy), or with borrowed definitions
    legacy = False
    borrowed = _borrowed(display, source, files) if borrowing else None
    own = None  # with a borrow: the file's own module, whose statements the analysed module holds
    reports: list[tuple[Rule, Report]] = []
    running: list[Rule | None] = [None]  # the rule running, None before the first
    try:
        with budget.limit(config.file_timeout) as spent:
            try:
                if borrowed is not None:
                    module, analysed, own = _parse_with(source, borrowed)
                if module is None:
                    borrowed = None
                    module = parse_module(source)
            except cst.ParserSyntaxError as error:
                borrowed = None
                module, analysed = _parse_legacy(source)
                legacy = module is not None
                if module is None:
                    if PARSE_ERROR_CODE in codes:
                        result.findings.append(_parse_error_finding(display, source, error))
                    return result
                # the rewrite keeps every line where it was: it borrows as the file would
                borrowed = _borrowed(display, analysed, files) if borrowing else None
                if borrowed is not None:
                    with_borrowed = _parse_with(analysed, borrowed)
                    if with_borrowed[0] is not None:
                        module, analysed = with_borrowed[0], with_borrowed[1]
                    else:
                        borrowed = None
            except RecursionError:
                if PARSE_ERROR_CODE in codes:
                    result.findings.append(_file_finding(display, "the file is nested too deeply to parse"))
                return result
            try:
                script = Script(display, analysed, module, borrowed=borrowed.names if borrowed else frozenset(),
                                attributes=dict(borrowed.attributes) if borrowed else None,
                                neighbours=_neighbour_facts(display) if borrowing else frozenset())
            except RecursionError:
                if PARSE_ERROR_CODE in codes:
                    result.findings.append(_file_finding(display, "the file is nested too deeply to analyze"))
                return result
            _run_rules(display, script, rules, spent, running, reports, result)
            script.release()  # reports and fixes are plain data over the tree: nothing asks the analysis again
    except budget.OutOfTime:
        if not partial:
            raise
        result.notices.append(_out_of_time(display, rules, running[0], config.file_timeout))
    if legacy:
        # positions come from the rewritten text; no fix is offered (it would write that text back)
        reports = [(rule, replace(report, fix=None)) for rule, report in reports]
    elif keep_reports:
        result.module = module if borrowed is None else own or _own_module(module, borrowed, source)
        if result.module is None:  # the file's own statements could not be told apart: fix without borrowing
            return _scan_python(display, source, rules, config, keep_reports, partial, borrowing=False)
    if reports:
        try:
            _add_findings(display, source, analysed, module, reports, config, keep_reports, result, borrowed,
                          keep_borrowed)
        except RecursionError:
            result.findings = [_file_finding(display, "the file is nested too deeply to analyze")] if (
                PARSE_ERROR_CODE in codes) else []
            result.fixes = []
    return result


def _borrowed(display: str, source: str, files: dict[str, bytes] | None = None) -> Borrowed | None:
    """What the file borrows from the project modules it imports (``fitlint.project``; ``files``
    when already read); nothing for a text that is not a file on disk (its imports have no folder
    to be looked for in)."""
    if files is None:
        files = dependencies(display, source)
    return borrow(display, source, files) if files and os.path.isfile(display) else None


def _neighbour_facts(display: str) -> frozenset[str]:
    """What the other Python files of the file's folder show (a file on disk only; see
    ``fitlint.project.neighbour_facts``)."""
    return neighbour_facts(display) if os.path.isfile(display) else frozenset()


def _parse_with(source: str, borrowed: Borrowed) -> tuple[cst.Module | None, str, cst.Module | None]:
    """The module of the file's text followed by the borrowed text, that text, and the file's own
    module when it was parsed alone (its statements are the module's: fixes edit them, no code
    generation needed to find them); (None, source, None) when the whole text does not parse
    (the file alone is parsed then, and its syntax error reported).

    The file is parsed on its own (a syntax error in it raises as it would without a borrow) and
    the borrowed statements are appended as parsed once per process (``_borrowed_statement``):
    every script of a project borrows the same few definitions. Where they could not print back
    as the borrowed text inside the file's module (another indentation, a file without a last
    newline), the whole text is parsed instead."""
    own = parse_module(source)
    text = source + ("" if source.endswith("\n") else "\n") + borrowed.text
    statements = [_borrowed_statement(part) for part in borrowed.parts] if source.endswith("\n") else [None]
    if statements and all(piece is not None and piece.default_indent == own.default_indent
                          and piece.default_newline == own.default_newline for piece in statements):
        body = [piece.body[0] for piece in statements]
        body[0] = body[0].with_changes(leading_lines=(*own.footer, *body[0].leading_lines))
        return own.with_changes(body=(*own.body, *body), footer=()), text, own
    try:
        return parse_module(text), text, None
    except (cst.ParserSyntaxError, RecursionError):
        return None, source, None


_STATEMENTS: dict[str, cst.Module | None] = {}
_MAX_STATEMENTS = 4096


def _borrowed_statement(part: str) -> cst.Module | None:
    """One borrowed statement's text parsed as a module of that one statement (None when it is
    not exactly one, or does not parse)."""
    if part not in _STATEMENTS:
        if len(_STATEMENTS) >= _MAX_STATEMENTS:
            _STATEMENTS.clear()
        try:
            piece = parse_module(part)
        except (cst.ParserSyntaxError, RecursionError):
            piece = None
        ok = piece is not None and len(piece.body) == 1 and not piece.header and not piece.footer
        _STATEMENTS[part] = piece if ok else None
    return _STATEMENTS[part]


def _own_module(module: cst.Module, borrowed: Borrowed, source: str) -> cst.Module | None:
    """The file's own module inside ``module`` (the same statement nodes, which fixes edit), or
    None when it does not print back as ``source``."""
    cut = len(module.body) - borrowed.statements
    if cut < 0 or cut >= len(module.body):
        return None
    first = module.body[cut]
    own = module.with_changes(body=module.body[:cut], footer=getattr(first, "leading_lines", ()))
    return own if own.code == source else None


def _line_count(source: str) -> int:
    return source.count("\n") + (0 if source.endswith("\n") else 1)


def _run_rules(display: str, script: Script, rules: Sequence[Rule], spent: budget.Budget,
               running: list[Rule | None], reports: list[tuple[Rule, Report]], result: FileResult) -> None:
    """Each rule's reports into ``reports``; ``running[0]`` names the rule at work."""
    for rule in rules:
        if rule.code == PARSE_ERROR_CODE:
            continue
        running[0] = rule
        spent.check()
        try:
            reports.extend((rule, report) for report in rule.check(script))
        except RecursionError:
            result.notices.append(f"{display}: {rule.code} ({rule.name}) gave up on this file: the code nests "
                                  "too deeply for its analysis; its findings here are missing")
        except Exception as error:  # a rule bug must not stop the scan of other files
            result.errors.append(f"{display}: internal error in {rule.code}: {type(error).__name__}: {error}")


def _out_of_time(display: str, rules: Sequence[Rule], running: Rule | None, seconds: float | None) -> str:
    """The notice for a file whose budget ran out while ``running`` (None: the parse and the
    shared analysis) was at work."""
    spent = f"the file's {seconds:g} s budget (--file-timeout) is spent"
    if running is None:
        return f"{display}: out of time while parsing and analysing it: {spent}; no rule's findings"
    checked = [rule for rule in rules if rule.code != PARSE_ERROR_CODE]
    left = len(checked) - checked.index(running) - 1
    after = f" and the {left} rule{'s' if left > 1 else ''} after it" if left else ""
    return f"{display}: out of time in {running.code} ({running.name}): {spent}; no findings from {running.code}{after}"


def _add_findings(display: str, source: str, analysed: str, module: cst.Module, reports: list[tuple[Rule, Report]],
                  config: Config, keep_reports: bool, result: FileResult, borrowed: Borrowed | None = None,
                  keep_borrowed: bool = False) -> None:
    """The reports as findings, positioned (in ``analysed``, the text parsed) and with the
    suppressions of ``source`` (the same comments on the same lines), into ``result``. A finding
    in text borrowed from another file is reported in that file, where its line was copied from,
    and without a fix (``--fix`` changes only the file it fixes: with ``keep_reports`` such
    findings are left out, unless ``keep_borrowed``: a notebook's scan keeps its reports for the
    fixes of its own cells, and reports a borrowed definition's findings in their file)."""
    nodes = ([report.node for _, report in reports] + [r.statement for _, r in reports if r.statement is not None]
             + [r.end for _, r in reports if r.end is not None])
    hints = {id(report.node): report.statement for _, report in reports if report.statement is not None}
    positions = node_positions(module, nodes, analysed, hints)
    suppressions = Suppressions.parse(source)
    last_line = _line_count(source) if borrowed is not None else None
    seen = set()
    for rule, report in reports:
        finding = _finding(display, rule, report, positions, suppressions)
        if finding.severity.rank < config.severity.rank:
            continue
        borrowed_here = last_line is not None and finding.line > last_line
        if borrowed_here:
            finding = None if keep_reports and not keep_borrowed else _borrowed_finding(finding, borrowed, last_line,
                                                                                       result)
            if finding is None:
                continue
        key = (finding.path, finding.code, finding.line, finding.column, finding.message)
        if key in seen:
            continue
        seen.add(key)
        result.findings.append(finding)
        if keep_reports and not borrowed_here:
            result.fixes.append((finding, report))
    result.findings.sort(key=Finding.sort_key)


def _borrowed_finding(finding: Finding, borrowed: Borrowed, last_line: int, result: FileResult) -> Finding | None:
    """``finding``, made in borrowed text, placed in the file the text was copied from (with that
    file's suppressions and text for its snippet); None in an import the borrow wrote."""
    place = borrowed.place(finding.line - last_line)
    end = borrowed.place(finding.end_line - last_line)
    if place is None:
        return None
    path, line = place
    display = _display_of(path)
    text = dict(borrowed.sources)[path]
    result.sources.setdefault(display, text)
    end_line = end[1] if end is not None and end[0] == path and end[1] >= line else line
    suppressed = Suppressions.parse(text).suppresses(finding.code, line)
    return replace(finding, path=display, line=line, end_line=end_line, fix=None, fix_safe=True,
                   suppressed=suppressed)


def _display_of(path: str) -> str:
    """A borrowed file's path as the scan shows paths: relative to the current folder when it is
    inside it."""
    relative = os.path.relpath(path)
    return Path(relative).as_posix() if not relative.startswith("..") else Path(path).as_posix()


def _finding(display: str, rule: Rule, report: Report, positions: dict, suppressions: Suppressions) -> Finding:
    span = positions[id(report.node)]
    end = positions.get(id(report.end)) if report.end is not None else None
    if end is not None and end.end.line > span.start.line:
        if end.end.line - span.start.line + 1 <= LONG_SPAN:
            span = replace(span, end=end.end)
        elif not report.long_span_keeps_node:
            span = end
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


def _parse_legacy(source: str) -> tuple[cst.Module | None, str]:
    """The module of ``source`` rewritten for Python 3.7+ (IPython lines neutralized, then
    ``fitlint.legacy``) and that text, or ``(None, source)`` when nothing was rewritten or the
    rewrite does not parse either."""
    from fitlint.legacy import modernized  # only for files that do not parse
    from fitlint.notebook import neutralize, without_automagic

    neutral = neutralize(source)
    analysed = modernized(neutral) or neutral
    # a notebook exported as a script keeps its automagic lines (`cd data`, `pip install timm`)
    for text in (analysed, without_automagic(analysed)):
        if text == source:
            continue
        try:
            return parse_module(text), text
        except (cst.ParserSyntaxError, RecursionError):
            pass
    return None, source


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


def scan_file(file: SourceFile, config: Config, keep_reports: bool = False, cache: Cache | None = None) -> FileResult:
    """A file's findings; from ``cache`` when it holds them for these bytes and this configuration,
    else scanned (and kept there when the result is complete)."""
    rules = instantiate(config, file.display)
    try:
        data = read_bytes(file)
        files = _dependencies(cache, data, file)
        key = None if cache is None else cache.key(data, file.display, rules, config, _keyed(files, file))
        cached = _cached(cache, key, file.display, data)
        if cached is not None:
            return cached
        source, _ = decode_source(data, file.display)
    except SourceError as error:
        return _unreadable(file, rules, error)
    # the bytes the key was made of serve the borrow too (a notebook's imports are in its cells)
    reuse = files if files is not None and source == data.decode("utf-8", "replace") else None
    result = scan_source(file.display, source, rules, config, keep_reports, files=reuse)
    if key is not None and not result.errors and not result.notices:
        cache.save(key, result.findings, file.display)
    return result


def _dependencies(cache: Cache | None, data: bytes, file: SourceFile) -> dict[str, bytes] | None:
    """The project files the file may borrow from, read for its cache key (None without a cache,
    or for a file not on disk)."""
    if cache is None or not os.path.isfile(file.display):
        return None
    return dependencies(file.display, data.decode("utf-8", "replace"))


def _keyed(files: dict[str, bytes] | None, file: SourceFile) -> dict[str, bytes] | None:
    """What a cache entry rests on: the files the file borrows from, and what its neighbours show
    (``fitlint.project.neighbour_facts``): the answers, not the neighbours' bytes, so that editing
    a sibling's model keeps the other files' entries."""
    if files is None:
        return None
    return {**files, **{_NEIGHBOURS_KEY + fact: b"1" for fact in sorted(neighbour_facts(file.display))}}


# a name no file has: the scan cache's key part for what the neighbours show
_NEIGHBOURS_KEY = "\0neighbours: "


def _cached(cache: Cache | None, key: str | None, display: str, data: bytes) -> FileResult | None:
    """The result ``cache`` holds under ``key``, with the texts its findings are shown in."""
    findings = cache.load(key, display) if cache is not None and key is not None else None
    if findings is None:
        return None
    sources = _sources(display, data) if findings else {}
    for path in {finding.path for finding in findings} - {display}:  # findings in borrowed definitions
        try:
            sources[path] = decode_source(Path(path).read_bytes(), path)[0]
        except (OSError, SourceError):
            pass
    return FileResult(findings=findings, sources=sources)


def _unreadable(file: SourceFile, rules: Sequence[Rule], error: SourceError) -> FileResult:
    result = FileResult()
    if any(rule.code == PARSE_ERROR_CODE for rule in rules):
        problem = str(error)
        prefix = f"{file.display}: "
        result.findings.append(_file_finding(file.display, problem[len(prefix):] if problem.startswith(prefix) else problem))
    return result


def _sources(display: str, data: bytes) -> dict[str, str]:
    """The texts a cached file's findings are shown in (see FileResult.sources)."""
    text, _ = decode_source(data, display)
    if not is_notebook(display, text):
        return {display: text}
    from fitlint.notebook import NotebookError, read_notebook

    try:
        return {f"{display}:cell {cell}": source for cell, source in read_notebook(text).cells.items()}
    except NotebookError:
        return {}


def fix_source(display: str, source: str, rules: Sequence[Rule], config: Config, unsafe: bool = False,
               encoding: str = "utf-8") -> FixOutcome:
    """Apply the fixes of unsuppressed findings, each kept only when the re-scan shows its finding
    gone and nothing new (``fitlint.fixes.converge``). A notebook: its JSON text."""
    if is_notebook(display, source):
        return fix_notebook(display, source, rules, config, unsafe)
    # imported here: scanning without fixing (pre-commit's usual run) does not pay for them
    from fitlint.fixes.converge import converge, without_refused_fixes

    try:
        converged = converge(display, source,
                             lambda text: _scan_python(display, text, rules, config, keep_reports=True, partial=False),
                             unsafe)
    except budget.OutOfTime:
        return _not_fixed(display, source, scan_source(display, source, rules, config), config, encoding)
    result = _without_tree(converged.result)
    lines = converged.text.splitlines()
    result.findings = without_refused_fixes(result.findings, lambda finding: lines, converged.refused)
    return FixOutcome(source, converged.text, converged.disappeared, result, converged.problems,
                      _without_tree(converged.first), encoding)


def _not_fixed(display: str, text: str, scanned: FileResult, config: Config, encoding: str = "utf-8") -> FixOutcome:
    """A file whose fixes could not be checked within its budget: left as it is, with its scan."""
    scanned.notices = [f"{line}; the file is not fixed" for line in scanned.notices] or [
        f"{display}: out of time checking its fixes: the file's {config.file_timeout:g} s budget (--file-timeout) "
        "is spent; the file is not fixed"]
    return FixOutcome(text, text, 0, scanned, unfixed=scanned, encoding=encoding)


def _without_tree(result: FileResult) -> FileResult:
    # the reports hold the tree: not kept (they would travel back from a worker process)
    return replace(result, module=None, fixes=[])


def fix_file(file: SourceFile, config: Config, unsafe: bool = False,
             cache: Cache | None = None) -> FixOutcome | FileResult:
    """A file's fix outcome; unreadable files are only scanned, and so is a file whose cached
    findings offer no fix at all (nothing to fix: the cache answers)."""
    rules = instantiate(config, file.display)
    try:
        data = read_bytes(file)
        if cache is not None:
            key = cache.key(data, file.display, rules, config, _keyed(_dependencies(cache, data, file), file))
            cached = _cached(cache, key, file.display, data)
            if cached is not None and not any(finding.fix is not None for finding in cached.findings):
                return cached
        source, encoding = decode_source(data, file.display)
    except SourceError:
        return scan_file(file, config)
    return fix_source(file.display, source, rules, config, unsafe, encoding)


def _work(args: tuple[str, SourceFile, Config, bool, Cache | None]):
    mode, file, config, unsafe, cache = args
    if mode == "fix":
        return fix_file(file, config, unsafe, cache)
    result = scan_file(file, config, cache=cache)
    if not result.findings:
        result.sources = {}  # shown only with findings: not worth sending back from a worker
    return result


def scan_files(files: Sequence[SourceFile], config: Config, jobs: int | None = None,
               fix: bool = False, unsafe: bool = False, cache: Cache | None = None) -> list:
    """Scan (or fix) files, in parallel when there are enough; results come back in ``files`` order."""
    tasks = [("fix" if fix else "scan", file, config, unsafe, cache) for file in files]
    jobs = jobs or os.cpu_count() or 1
    if jobs <= 1 or len(files) < PARALLEL_THRESHOLD:
        return [_work(task) for task in tasks]
    return _in_parallel(tasks, jobs)


def _in_parallel(tasks: list[tuple], jobs: int) -> list:
    """``_work`` over ``tasks`` in ``jobs`` worker processes, results in ``tasks`` order.

    The largest files go first, in small chunks, so that no worker is left with a long file while
    the others wait at the end. On Linux the workers are forked: they start with everything this
    process has imported (the rules included) instead of importing it all again, and the objects
    made so far are frozen out of the collector first (gc.freeze), so that the workers' garbage
    collections neither walk nor copy them."""
    import gc
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor  # a one-file run does not pay for it

    order = sorted(range(len(tasks)), key=lambda index: -_size(tasks[index][1]))
    chunksize = max(1, min(MAX_CHUNK, len(tasks) // (jobs * 8)))
    context = multiprocessing.get_context("fork") if sys.platform == "linux" else None
    gc.freeze()
    try:
        with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
            done = list(pool.map(_work, [tasks[index] for index in order], chunksize=chunksize))
    finally:
        gc.unfreeze()
    results: list = [None] * len(tasks)
    for index, result in zip(order, done):
        results[index] = result
    return results


def _size(file: SourceFile) -> int:
    try:
        return file.path.stat().st_size
    except OSError:
        return 0
