"""Output formats: text (after ruff), JSON, SARIF 2.1.0 and GitHub workflow annotations.

Each renderer returns the whole report as one string without a trailing newline.
"""

from __future__ import annotations

import json
import re
from pathlib import PurePath
from typing import TYPE_CHECKING, Callable, Mapping, Sequence

import fitlint
from fitlint.findings import Finding, Severity

if TYPE_CHECKING:
    from fitlint.plugin import Check

FORMATS = ("text", "json", "sarif", "github")
SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/fitlint/fitlint"
SARIF_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
GITHUB_LEVELS = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}
SNIPPET_INDENT = "    "

_RESET = "\x1b[0m"
_BOLD = "\x1b[1m"
_CODE_COLORS = {Severity.ERROR: "\x1b[1;31m", Severity.WARNING: "\x1b[33m", Severity.INFO: "\x1b[36m"}
# The line breaks Python (and so libcst's line numbers) recognise; str.splitlines also splits on
# form feeds and other separators, which would shift every later line.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def render(
    findings: Sequence[Finding],
    fmt: str,
    *,
    rules: Sequence[type[Check]],
    sources: Mapping[str, str] | None = None,
    color: bool = False,
    files_scanned: int = 0,
    show_suppressed: bool = False,
) -> str:
    """``findings`` (already sorted) in format ``fmt``, one of FORMATS.

    Suppressed findings are left out unless ``show_suppressed`` (never shown in ``github``).
    ``sources`` maps a path to its text, for the text format's snippets; a notebook cell's text is
    looked up under ``"<path>:cell <N>"``, the prefix its findings are printed with.
    """
    shown = [finding for finding in findings if show_suppressed or not finding.suppressed]
    if fmt == "text":
        return render_text(shown, sources or {}, color, files_scanned)
    if fmt == "json":
        return render_json(shown)
    if fmt == "sarif":
        return render_sarif(shown, rules)
    if fmt == "github":
        return render_github([finding for finding in shown if not finding.suppressed])
    raise ValueError(f"unknown format {fmt!r} (expected one of: {', '.join(FORMATS)})")


# text


def render_text(
    findings: Sequence[Finding], sources: Mapping[str, str], color: bool, files_scanned: int
) -> str:
    paint = _painter(color)
    lines_by_key: dict[str, list[str]] = {}
    blocks = []
    for finding in findings:
        key = _location_prefix(finding)
        if key not in lines_by_key and key in sources:
            lines_by_key[key] = _LINE_BREAK.split(sources[key])
        blocks.append(_text_block(finding, lines_by_key.get(key), paint))
    return "\n".join([*blocks, *_summary_lines(findings, files_scanned)])


def _painter(color: bool) -> Callable[[str, str], str]:
    if not color:
        return lambda text, style: text
    return lambda text, style: f"{style}{text}{_RESET}"


def _location_prefix(finding: Finding) -> str:
    """The path, and for a notebook the cell: ``nb.ipynb:cell 3``."""
    return finding.path if finding.cell is None else f"{finding.path}:cell {finding.cell}"


def _text_block(finding: Finding, source_lines: list[str] | None, paint: Callable[[str, str], str]) -> str:
    """The heading line, the source line and carets when the source is known, then a blank line."""
    marks = " (suppressed)" if finding.suppressed else ""
    fixable = "[*] " if finding.fix is not None and finding.fix_safe else ""
    heading = (
        f"{paint(_location_prefix(finding), _BOLD)}:{finding.line}:{finding.column}: "
        f"{paint(finding.code, _CODE_COLORS[finding.severity])}{marks} "
        f"[{finding.severity.value}] {fixable}{finding.message}"
    )
    lines = [heading]
    if source_lines is not None and 1 <= finding.line <= len(source_lines):
        source_line = source_lines[finding.line - 1].rstrip()
        lines += [SNIPPET_INDENT + source_line, SNIPPET_INDENT + _caret_line(finding, source_line)]
    return "\n".join(lines) + "\n"


def _caret_line(finding: Finding, source_line: str) -> str:
    """Carets under the span; the lead-in copies the source's tabs so the carets line up however
    wide the terminal draws a tab."""
    start = min(finding.column - 1, len(source_line))
    lead = "".join("\t" if char == "\t" else " " for char in source_line[:start])
    width = 1
    if finding.end_line == finding.line:
        width = max(1, min(finding.end_column - 1, len(source_line)) - start)
    return lead + "^" * width


def _summary_lines(findings: Sequence[Finding], files_scanned: int) -> list[str]:
    active = [finding for finding in findings if not finding.suppressed]
    files = _plural(files_scanned, "file")
    if not active:
        lines = [f"No findings in {files}."]
    else:
        counts = [
            _plural(count, severity.value, invariant=severity is Severity.INFO)
            for severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)
            if (count := sum(finding.severity is severity for finding in active))
        ]
        lines = [f"Found {_plural(len(active), 'finding')} ({', '.join(counts)}) in {files}."]
    fixable = sum(finding.fix is not None and finding.fix_safe for finding in active)
    unsafe = sum(finding.fix is not None and not finding.fix_safe for finding in active)
    if fixable:
        lines.append(f"[*] {fixable} fixable with --fix.")
    if unsafe:
        lines.append(f"{unsafe} more fixable with --fix --unsafe-fixes (the fix can change behaviour beyond the mistake).")
    suppressed = len(findings) - len(active)
    if suppressed:
        lines.append(f"{_plural(suppressed, 'suppressed finding')} shown.")
    return lines


def _plural(count: int, word: str, invariant: bool = False) -> str:
    # "info" is a mass noun: "2 info", not "2 infos".
    return f"{count} {word}" if count == 1 or invariant else f"{count} {word}s"


# json


def render_json(findings: Sequence[Finding]) -> str:
    return json.dumps([finding.to_json() for finding in findings], indent=2)


# sarif


def render_sarif(findings: Sequence[Finding], rules: Sequence[type[Check]]) -> str:
    index_by_code = {rule.code: index for index, rule in enumerate(rules)}
    run = {
        "tool": {
            "driver": {
                "name": "fitlint",
                "version": fitlint.__version__,
                "informationUri": INFORMATION_URI,
                "rules": [_sarif_rule(rule) for rule in rules],
            }
        },
        # libcst counts columns in code points; SARIF's default is UTF-16 code units.
        "columnKind": "unicodeCodePoints",
        "results": [_sarif_result(finding, index_by_code.get(finding.code)) for finding in findings],
    }
    return json.dumps({"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2)


def _sarif_rule(rule: type[Check]) -> dict:
    doc = rule.doc()
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary()},
        "fullDescription": {"text": doc},
        "help": {"text": doc, "markdown": doc},
        "helpUri": rule.help_uri(),
        "defaultConfiguration": {"level": SARIF_LEVELS[rule.severity]},
    }


def _sarif_result(finding: Finding, rule_index: int | None) -> dict:
    result: dict = {"ruleId": finding.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result["level"] = SARIF_LEVELS[finding.severity]
    result["message"] = {"text": _cell_prefix(finding) + finding.message}
    result["locations"] = [
        {
            "physicalLocation": {
                "artifactLocation": {"uri": _artifact_uri(finding.path)},
                "region": {
                    "startLine": finding.line,
                    "startColumn": finding.column,
                    "endLine": finding.end_line,
                    "endColumn": finding.end_column,
                },
            }
        }
    ]
    if finding.suppressed:
        result["suppressions"] = [{"kind": "inSource"}]
    return result


def _artifact_uri(path: str) -> str:
    """A relative URI reference for a relative path (percent-encoded), a file URI otherwise."""
    pure = PurePath(path)
    if pure.is_absolute():
        return pure.as_uri()
    from urllib.parse import quote  # SARIF only: not on every scan's start-up

    return quote(pure.as_posix())


def _cell_prefix(finding: Finding) -> str:
    return "" if finding.cell is None else f"cell {finding.cell}: "


# github


def render_github(findings: Sequence[Finding]) -> str:
    return "\n".join(_github_command(finding) for finding in findings)


def _github_command(finding: Finding) -> str:
    properties = {
        "file": finding.path,
        "line": finding.line,
        "col": finding.column,
        "endLine": finding.end_line,
        "endColumn": finding.end_column,
        "title": f"fitlint ({finding.code})",
    }
    # GitHub ignores columns on an annotation that spans lines, and can misplace it.
    if finding.line != finding.end_line:
        del properties["col"], properties["endColumn"]
    rendered = ",".join(f"{key}={_escape_property(str(value))}" for key, value in properties.items())
    message = _escape_data(_cell_prefix(finding) + finding.message)
    return f"::{GITHUB_LEVELS[finding.severity]} {rendered}::{message}"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
