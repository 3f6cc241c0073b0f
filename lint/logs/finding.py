"""What a log check reports. No pandas here: the CLI and JSON output import this cheaply."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

from fitlint.findings import Severity


def _plain(value: Any) -> Any:
    """Make evidence JSON-safe: numpy scalars to Python numbers, NaN/inf to strings."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "item") and not isinstance(value, (str, bytes)):
        value = value.item()
    if isinstance(value, float):
        if math.isnan(value):
            return "nan"
        if math.isinf(value):
            return "inf" if value > 0 else "-inf"
        return round(value, 6)
    return value


@dataclass(frozen=True)
class LogFinding:
    """One diagnosis of one run's curves.

    ``epoch`` is the 0-based epoch the finding points at (None when the run only has steps; the
    step is then in ``evidence["step"]``). ``evidence`` holds the numbers behind the message.
    """

    code: str
    name: str
    severity: Severity
    message: str
    path: str
    run: str
    split: str | None = None
    metric: str | None = None
    epoch: int | None = None
    evidence: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        # Severity("warning") is Severity.WARNING, and an unknown name is a ValueError.
        object.__setattr__(self, "severity", Severity(self.severity))

    def sort_key(self) -> tuple:
        return (self.path, self.run, -self.severity.rank, self.code)

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
            "path": self.path,
            "run": self.run,
            "split": self.split,
            "metric": self.metric,
            "epoch": self.epoch,
            "evidence": _plain(self.evidence),
        }
