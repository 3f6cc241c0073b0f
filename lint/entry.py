"""The ``fitlint`` command's entry point: ``fitlint scan`` starts without typer.

pre-commit runs ``fitlint scan`` on every commit, so its start-up is paid again and again, and typer
(with the click, rich and pydantic it brings) costs about as much as libcst itself. A well-formed
``fitlint scan`` command line is read here by a small parser that knows the scan options and takes
their values only in the plain forms whose meaning is certain; anything else (help, another
command, an option it does not know, a value such as ``--jobs 2.0`` that typer would coerce) goes
to the typer application, ``fitlint.cli``, which then behaves and answers exactly as it always has.
Both end in the same ``fitlint.scan.run_command``. Only the standard library is imported here.
"""

from __future__ import annotations

import errno
import os
import re
import sys
from typing import Any, Callable

# The `scan` options (see fitlint.cli.scan): flag -> (parameter, how its value is read).
# A tuple reads the next token (or the text after `=`) with the function; a bool is a flag's value;
# "many" collects every value given.
_PLAIN_INT = re.compile(r"[0-9]+")
_PLAIN_NUMBER = re.compile(r"[0-9]+(\.[0-9]*)?|\.[0-9]+")


def _text(value: str) -> str:
    return value


def _int(value: str) -> int:
    if not _PLAIN_INT.fullmatch(value):
        raise ValueError(value)
    return int(value)


def _number(value: str) -> float:
    if not _PLAIN_NUMBER.fullmatch(value):
        raise ValueError(value)
    return float(value)


def _path(value: str):
    from pathlib import Path

    return Path(value)


SCAN_OPTIONS: dict[str, tuple[str, Any]] = {
    "--format": ("output_format", _text),
    "-f": ("output_format", _text),
    "--select": ("select", "many"),
    "--extend-select": ("extend_select", "many"),
    "--ignore": ("ignore", "many"),
    "--exclude": ("exclude", "many"),
    "--severity": ("severity", _text),
    "--config": ("config_path", _path),
    "--stdin-filename": ("stdin_filename", _text),
    "--jobs": ("jobs", _int),
    "-j": ("jobs", _int),
    "--file-timeout": ("file_timeout", _number),
    "--exit-zero": ("exit_zero", True),
    "--show-suppressed": ("show_suppressed", True),
    "--color": ("color", True),
    "--no-color": ("color", False),
    "--fix": ("fix", True),
    "--diff": ("diff", True),
    "--unsafe-fixes": ("unsafe_fixes", True),
    "--no-cache": ("no_cache", True),
}
SCAN_DEFAULTS: dict[str, Any] = {
    "paths": None, "output_format": "text", "select": None, "extend_select": None, "ignore": None,
    "exclude": None, "severity": None, "config_path": None, "stdin_filename": None, "jobs": None,
    "file_timeout": None, "exit_zero": False, "show_suppressed": False, "color": None, "fix": False,
    "diff": False, "unsafe_fixes": False, "no_cache": False,
}


def scan_values(args: list[str]) -> dict[str, Any] | None:
    """The scan command's parameters from ``args`` (what follows ``scan``), as typer would pass
    them; None for anything this parser leaves to typer."""
    values = dict(SCAN_DEFAULTS)
    paths: list[str] = []
    index = 0
    options_end = False
    while index < len(args):
        token = args[index]
        index += 1
        if options_end or token == "-" or not token.startswith("-"):
            paths.append(token)
            continue
        if token == "--":
            options_end = True
            continue
        if token.startswith("--"):
            name, equals, attached = token.partition("=")
        else:
            name, attached = token[:2], token[2:]
            equals = "=" if attached else ""
        spec = SCAN_OPTIONS.get(name)
        if spec is None:
            return None
        parameter, reader = spec
        if isinstance(reader, bool):
            if equals:
                return None
            values[parameter] = reader
            continue
        if not equals:
            if index == len(args):
                return None
            attached = args[index]
            index += 1
        if reader == "many":
            values[parameter] = [*(values[parameter] or []), attached]
            continue
        try:
            values[parameter] = reader(attached)
        except ValueError:
            return None
    values["paths"] = paths or None
    return values


def main() -> None:
    args = sys.argv[1:]
    values = None
    # Windows: typer expands wildcards in the arguments; shell completion is typer's too
    if args[:1] == ["scan"] and os.name != "nt" and "_FITLINT_COMPLETE" not in os.environ:
        values = scan_values(args[1:])
    if values is None:
        from fitlint.cli import app

        app()
        return
    from fitlint.scan import run_command

    sys.exit(_as_typer_would(lambda: run_command(**values)))


def _as_typer_would(command: Callable[[], int]) -> int:
    """Run the command with typer's handling of an interrupt (exit 130), an end of input
    ("Aborted!", exit 1) and a closed output pipe (exit 1, quietly)."""
    try:
        return command()
    except KeyboardInterrupt:
        return 130
    except EOFError:
        print(file=sys.stderr)
        print("Aborted!", file=sys.stderr)
        return 1
    except OSError as error:
        if error.errno != errno.EPIPE:
            raise
        sys.stdout = _Quiet(sys.stdout)
        sys.stderr = _Quiet(sys.stderr)
        return 1


class _Quiet:
    """A stream whose flush ignores a closed pipe (the interpreter flushes at exit)."""

    def __init__(self, stream) -> None:
        self._stream = stream

    def flush(self) -> None:
        try:
            self._stream.flush()
        except OSError as error:
            if error.errno != errno.EPIPE:
                raise

    def __getattr__(self, name: str):
        return getattr(self._stream, name)
