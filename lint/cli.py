"""The ``fitlint`` command line: scan, rules, explain, logs, audit.

Exit codes (all commands): 0 nothing found, 1 findings, 2 usage, configuration or internal error.
``fitlint scan`` must start fast (pre-commit runs it on every commit): nothing here imports pandas
or torch, and the log analyzer is imported only when its command runs.
"""

from __future__ import annotations

from pathlib import Path
from typing import List, Optional

import typer

from fitlint import __version__
from fitlint.audit.command import register as register_audit
from fitlint.logs.command import register as register_logs

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2

app = typer.Typer(
    name="fitlint",
    help="Find the PyTorch training mistakes that keep validation accuracy at chance.",
    add_completion=False,
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _error(message: str) -> None:
    typer.echo(f"fitlint: {message}", err=True)


def _version(value: bool) -> None:
    if value:
        typer.echo(f"fitlint {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True, help="Show the version."),
) -> None:
    """fitlint: static checks for training scripts, and a reader for the curves they leave."""


@app.command()
def scan(
    paths: Optional[List[str]] = typer.Argument(None, help="Files or folders to scan; '-' reads stdin. Default: '.'."),
    output_format: str = typer.Option("text", "--format", "-f", help="text, json, sarif or github."),
    select: Optional[List[str]] = typer.Option(None, "--select", help="Codes or prefixes to enable (comma-separated; ALL)."),
    extend_select: Optional[List[str]] = typer.Option(None, "--extend-select", help="Codes to enable on top of the selection."),
    ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Codes or prefixes to disable."),
    exclude: Optional[List[str]] = typer.Option(None, "--exclude", help="Glob patterns to skip (added to the config's)."),
    severity: Optional[str] = typer.Option(None, "--severity", help="Report findings at or above: info, warning, error."),
    config_path: Optional[Path] = typer.Option(None, "--config", help="A pyproject.toml or fitlint.yaml to use instead of the nearest one."),
    stdin_filename: Optional[str] = typer.Option(None, "--stdin-filename", help="The path to report for source read from stdin."),
    jobs: Optional[int] = typer.Option(None, "--jobs", "-j", help="Parallel processes (default: the number of cores)."),
    exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when there are findings."),
    show_suppressed: bool = typer.Option(False, "--show-suppressed", help="Also report findings silenced by comments."),
    color: Optional[bool] = typer.Option(None, "--color/--no-color", help="Colour the text output (default: on a terminal)."),
    fix: bool = typer.Option(False, "--fix", help="Apply the safe fixes, writing files in place (atomically)."),
    diff: bool = typer.Option(False, "--diff", help="Print the fixes as a unified diff instead of writing them."),
    unsafe_fixes: bool = typer.Option(False, "--unsafe-fixes", help="Also apply fixes that can change behaviour beyond the mistake."),
    file_timeout: Optional[float] = typer.Option(None, "--file-timeout", help="CPU seconds one file's analysis may take before its remaining rules are skipped (default 5; 0: no limit)."),
    no_cache: bool = typer.Option(False, "--no-cache", help="Neither read nor write the cache (.fitlint_cache); also FITLINT_NO_CACHE=1."),
) -> None:
    """Scan training scripts for the mistakes that keep validation accuracy at chance."""
    # `fitlint scan` usually starts in fitlint.entry, without typer; both end here
    from fitlint.scan import run_command

    raise typer.Exit(run_command(
        paths=paths, output_format=output_format, select=select, extend_select=extend_select, ignore=ignore,
        exclude=exclude, severity=severity, config_path=config_path, stdin_filename=stdin_filename, jobs=jobs,
        exit_zero=exit_zero, show_suppressed=show_suppressed, color=color, fix=fix, diff=diff,
        unsafe_fixes=unsafe_fixes, file_timeout=file_timeout, no_cache=no_cache,
    ))


@app.command("rules")
def rules_command(
    output_format: str = typer.Option("text", "--format", "-f", help="text or json."),
) -> None:
    """List every rule: code, name, severity, whether it fixes, whether it is on by default."""
    from fitlint.rule import all_rules

    rules = all_rules()
    if output_format == "json":
        import json

        typer.echo(json.dumps([
            {"code": r.code, "name": r.name, "severity": r.severity.value, "fixable": r.fixable,
             "default": r.default_enabled, "summary": r.summary()} for r in rules
        ], indent=2))
        return
    if output_format != "text":
        _error(f"unknown format {output_format!r} (expected text or json)")
        raise typer.Exit(EXIT_ERROR)
    rows = [("code", "name", "severity", "fix", "default")]
    rows += [(r.code, r.name, r.severity.value, "yes" if r.fixable else "-", "on" if r.default_enabled else "off")
             for r in rules]
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        typer.echo("  ".join(cell.ljust(width) for cell, width in zip(row, widths)).rstrip())


@app.command()
def explain(code: str = typer.Argument(..., help="A rule or log check code, e.g. FIT001 or LOG002.")) -> None:
    """Print the documentation of a rule or a log check (the same page as docs/rules/, docs/checks/)."""
    from fitlint.rule import rules_by_code

    wanted = code.strip().upper()
    check = rules_by_code().get(wanted)
    if check is None and wanted.startswith("LOG"):
        # Only here: the log checks import pandas.
        from fitlint.logs.checks.base import checks_by_code

        check = checks_by_code().get(wanted)
    if check is None:
        _error(f"unknown rule or log check code {code!r}; `fitlint rules` lists the rules")
        raise typer.Exit(EXIT_ERROR)
    typer.echo(check.page(), nl=False)


register_logs(app)
register_audit(app)


def main() -> None:
    """The typer application (the console script is fitlint.entry.main, which comes here for
    anything but a plain scan)."""
    app()
