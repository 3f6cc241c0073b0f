"""A time budget for the analysis of one file (``--file-timeout``): no file can stall a scan.

The budget is CPU time of this process. Where the interval timer can be used (the main thread of a
POSIX process, which is where ``fitlint scan`` and its worker processes analyse files), it is armed
with ``setitimer(ITIMER_PROF)``: when the time is spent, SIGPROF raises OutOfTime wherever the
analysis is (a rule's loop, the shared analysis), and the engine reports the file and the rule that
was running. CPU time rather than wall time, so that a loaded machine (CI, pre-commit beside an
editor) does not make a file time out. Elsewhere (a thread, Windows) the budget is only checked
between stages (``Budget.check``), so one runaway rule can still run to its end there.
"""

from __future__ import annotations

import signal
import time
from contextlib import contextmanager
from typing import Iterator

# Seconds of CPU time one file's analysis may take by default: the slowest real files take well
# under a second; a runaway analysis is stopped before a pre-commit hook feels stuck.
DEFAULT_FILE_TIMEOUT = 5.0

_TIMER = getattr(signal, "ITIMER_PROF", None)
_SIGNAL = getattr(signal, "SIGPROF", None)


class OutOfTime(BaseException):
    """A file's budget is spent. A BaseException, so that no ``except Exception`` in a rule
    swallows it and runs on."""


class Budget:
    """The budget of one file's analysis; ``check()`` raises OutOfTime once it is spent."""

    def __init__(self, seconds: float | None) -> None:
        self.seconds = seconds
        self.deadline = None if not seconds else time.process_time() + seconds

    def check(self) -> None:
        if self.deadline is not None and time.process_time() > self.deadline:
            raise OutOfTime()


# The budget being spent in this process, and whether its timer may still raise.
_active: list[Budget] = []


def _expired(signum, frame) -> None:
    if _active:
        raise OutOfTime()


@contextmanager
def limit(seconds: float | None) -> Iterator[Budget]:
    """Run the block under a budget of ``seconds`` of CPU time (None or 0: no limit). Inside a
    block already under a budget, the outer budget governs."""
    budget = Budget(seconds)
    if _active or not seconds:
        yield _active[0] if _active else budget
        return
    previous = _arm(seconds)
    _active.append(budget)
    try:
        yield budget
    finally:
        try:
            # from here on the timer raises nothing; firing just before still raises OutOfTime,
            # which the caller handles as a spent budget, and the timer is restored below
            _active.clear()
        finally:
            if previous is not None:
                signal.setitimer(_TIMER, 0)
                signal.signal(_SIGNAL, previous)


def _arm(seconds: float):
    """Start the timer; returns the SIGPROF handler to restore, or None where only ``check``
    can enforce the budget."""
    if _TIMER is None or _SIGNAL is None:
        return None
    try:
        previous = signal.signal(_SIGNAL, _expired)
    except ValueError:  # not the main thread: signals cannot be handled here
        return None
    signal.setitimer(_TIMER, seconds)
    return previous if previous is not None else signal.SIG_DFL
