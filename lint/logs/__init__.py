"""fitlint's log analyzer: read the training curves a user already has on disk and diagnose them.

``analyze(paths)`` reads every log under the paths (one module per format in
``fitlint.logs.readers``), puts each
run into one tidy table and runs every check (one module per symptom in ``fitlint.logs.checks``,
discovered, never listed). Importing
this package is cheap: pandas is only imported when something is read, so the static scanner and
``fitlint logs --help`` never pay for it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from fitlint.logs.finding import LogFinding

if TYPE_CHECKING:
    from fitlint.logs.engine import LogReport
    from fitlint.logs.run import Run

__all__ = ["LogFinding", "LogReport", "Run", "analyze"]


def analyze(
    paths: list[str],
    *,
    num_classes: int | None = None,
    select: Any = None,
    ignore: Any = None,
    options: dict[str, dict[str, Any]] | None = None,
) -> LogReport:
    """Read every training log under ``paths`` and diagnose each run (see ``fitlint.logs.engine``)."""
    from fitlint.logs.engine import analyze as _analyze

    return _analyze(paths, num_classes=num_classes, select=select, ignore=ignore, options=options)


def __getattr__(name: str) -> Any:
    # LogReport and Run live next to pandas code; load them only when asked for.
    if name in ("LogReport", "Run"):
        from fitlint.logs import engine

        return getattr(engine, name)
    raise AttributeError(name)
