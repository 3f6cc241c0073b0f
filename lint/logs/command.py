"""The ``fitlint logs`` subcommand. Importing this module does not import pandas."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING, List, Optional

if TYPE_CHECKING:
    import typer

HELP = """Read the training logs under PATH... and diagnose the curves.

Formats: np.savetxt files (result_of_train_acc.txt, val_loss.txt...), CSV (Keras CSVLogger,
Lightning metrics.csv, any CSV with split/metric columns), Hugging Face trainer_state.json,
TensorBoard event files, MLflow (mlruns/ file store, mlflow.db), JSON lines, stdout logs.
Files in one folder are one run. Exit status: 0 no warning or error, 1 warnings or errors found,
2 usage error, nothing readable, or a run that could not be analyzed (the others are reported).
"""


def register(app: "typer.Typer") -> None:
    import typer

    @app.command("logs", help=HELP)
    def logs(
        paths: List[str] = typer.Argument(..., help="Log files or folders (searched recursively).", metavar="PATH..."),
        format: str = typer.Option("text", "--format", help="text or json."),
        num_classes: Optional[int] = typer.Option(None, "--num-classes", min=2,
                                                  help="Number of classes (chance = 1/K); else from run metadata or inferred."),
        plot: Optional[str] = typer.Option(None, "--plot", metavar="DIR", help="Write a PNG per run (needs matplotlib)."),
        select: Optional[List[str]] = typer.Option(None, "--select", help="Only these codes (prefixes, comma-separated)."),
        ignore: Optional[List[str]] = typer.Option(None, "--ignore", help="Skip these codes (prefixes, comma-separated)."),
        option: Optional[List[str]] = typer.Option(None, "--option", metavar="CODE.NAME=VALUE",
                                                   help="Override a check threshold, e.g. LOG001.min_acc_gap=0.15."),
        exit_zero: bool = typer.Option(False, "--exit-zero", help="Exit 0 even when findings are reported."),
        quiet: bool = typer.Option(False, "--quiet", help="No progress bar."),
    ) -> None:
        raise typer.Exit(run_command(paths, format=format, num_classes=num_classes, plot=plot, select=select,
                                     ignore=ignore, option=option, exit_zero=exit_zero, quiet=quiet))


def _parse_options(items: list[str] | None) -> dict:
    options: dict = {}
    for item in items or []:
        if "=" not in item or "." not in item.split("=", 1)[0]:
            raise ValueError(f"--option {item!r}: expected CODE.NAME=VALUE")
        key, raw = item.split("=", 1)
        code, name = key.split(".", 1)
        try:
            value: object = float(raw) if any(c in raw for c in ".eE") else int(raw)
        except ValueError:
            raise ValueError(f"--option {item!r}: {raw!r} is not a number") from None
        options.setdefault(code.strip().upper(), {})[name.strip()] = value
    return options


def run_command(paths, *, format="text", num_classes=None, plot=None, select=None, ignore=None, option=None,
                exit_zero=False, quiet=False) -> int:
    def fail(message: str) -> int:
        print(f"fitlint logs: {message}", file=sys.stderr)
        return 2

    if format not in ("text", "json"):
        return fail(f"--format must be text or json, not {format!r}")
    try:
        options = _parse_options(option)
        from fitlint.logs.checks.base import selected_checks

        selected_checks(select, ignore, options)  # validate codes and options before reading anything
    except ValueError as error:
        return fail(str(error))
    from fitlint.logs.engine import analyze
    from fitlint.findings import Severity
    from fitlint.logs import report as output

    progress = None
    show_bar = not quiet and format == "text" and sys.stderr.isatty()
    if show_bar:
        done = [0]

        def progress(run):  # noqa: ANN001 - a progress line on long audits
            done[0] += 1
            print(f"\r analyzed {done[0]} run(s): {run.name[:50]:<50}", end="", file=sys.stderr, flush=True)

    report = analyze(list(paths), num_classes=num_classes, select=select, ignore=ignore, options=options,
                     progress=progress)
    if show_bar:
        print("\r" + " " * 72 + "\r", end="", file=sys.stderr)
    for line in report.errors + report.failed:
        print(f"fitlint logs: {line}", file=sys.stderr)
    if not report.runs:
        return fail("no readable training log in the given paths" if not report.failed
                    else "no run could be analyzed")
    if plot:
        from fitlint.logs.plot import MISSING, have_matplotlib, plot as draw

        if have_matplotlib():
            for path in draw(report, plot):
                print(f"fitlint logs: wrote {path}", file=sys.stderr)
        else:
            print(f"fitlint logs: {MISSING}", file=sys.stderr)
    print(output.json_text(report) if format == "json" else output.text(report))
    if report.failed:
        return 2  # a run could not be analyzed: its curves were not checked
    serious = [f for f in report.findings if f.severity.rank >= Severity.WARNING.rank]
    return 0 if exit_zero or not serious else 1
