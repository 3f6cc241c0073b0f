from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.fixes.edits import replace_node
from fitlint.findings import Severity
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, Obj, Script, call_arg, literal

HEADER = """\
import torch
from torch import nn, optim
from torch.optim.lr_scheduler import ReduceLROnPlateau
model = nn.Linear(10, 2)
optimizer = optim.Adam(model.parameters(), lr=1e-3)
"""


class PlateauSchedulerWithoutMetric(Rule):
    """
    ## What it does
    Flags `ReduceLROnPlateau.step()` called without the value it monitors (usually the validation
    loss).

    ## Why is this bad?
    ReduceLROnPlateau lowers the learning rate when a metric stops improving, so it needs that
    metric at every step. Current PyTorch raises a `TypeError` at the end of the first epoch, after
    the epoch's training time has been spent; versions that accepted the call compared nothing and
    never reduced the rate, so a run that plateaus stays on the plateau (the seed's point 12).

    ## Example
    ```python
    scheduler = ReduceLROnPlateau(optimizer, mode="min")
    for epoch in range(epochs):
        train(epoch)
        val_loss = validate(epoch)
        scheduler.step()
    ```

    ## Use instead
    ```python
    for epoch in range(epochs):
        train(epoch)
        val_loss = validate(epoch)
        scheduler.step(val_loss)
    ```

    ## Fix safety
    Safe where offered: when a validation loss variable (`val_loss`, `valid_loss`, `test_loss`,
    `loss_val`, ...) is assigned earlier in the same function and the scheduler watches a loss
    (`mode="min"`, the default), the fix passes it: `scheduler.step(val_loss)`. Otherwise there is
    no fix: which value to monitor is the author's choice.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html
    """

    code = "FIT003"
    name = "plateau-scheduler-without-metric"
    severity = Severity.ERROR
    fixable = True

    VALID = [
        Valid(HEADER + """
scheduler = ReduceLROnPlateau(optimizer, "min", patience=3)
for epoch in range(10):
    val_loss = evaluate(model)
    scheduler.step(val_loss)
"""),
        Valid(HEADER + """
scheduler = ReduceLROnPlateau(optimizer, "max")
for epoch in range(10):
    scheduler.step(metrics=accuracy(model))
"""),
        # another scheduler's step() takes no argument
        Valid(HEADER + """
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)
for epoch in range(10):
    scheduler.step()
"""),
        # a scheduler chosen at run time: its kind is unknown, stay silent
        Valid(HEADER + """
if args.plateau:
    scheduler = ReduceLROnPlateau(optimizer)
else:
    scheduler = torch.optim.lr_scheduler.StepLR(optimizer, 10)
for epoch in range(10):
    scheduler.step()
"""),
    ]

    INVALID = [
        Invalid(HEADER + """
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5)
for epoch in range(10):
    val_loss = evaluate(model)
    scheduler.step()  # FIT003
""", fixed=HEADER + """
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5)
for epoch in range(10):
    val_loss = evaluate(model)
    scheduler.step(val_loss)  # FIT003
"""),
        Invalid(HEADER + """
class Trainer:
    def __init__(self):
        self.scheduler = torch.optim.lr_scheduler.ReduceLROnPlateau(optimizer)
    def end_epoch(self):
        self.scheduler.step()  # FIT003
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        for site in script.calls_by_method.get("step", []):
            scheduler = script.is_scheduler_step(site)
            if scheduler is None or scheduler.detail != "plateau":
                continue
            if site.node.args:
                continue
            yield Report(
                site.node,
                f"`{site.name}()` is called without the metric ReduceLROnPlateau monitors: PyTorch "
                "raises a TypeError at the end of the first epoch (older versions never reduced the "
                "rate); pass the validation loss, e.g. `scheduler.step(val_loss)`",
                statement=site.statement,
                fix=_fix(site, scheduler),
            )


_VALIDATION_LOSS = re.compile(r"^(?:self\.)?(?:val|valid|validation|dev|eval|test)_?loss(?:es)?$|^(?:self\.)?loss_?(?:val|valid|validation|dev|eval|test)$")


def _fix(site: CallSite, scheduler: Obj) -> Fix | None:
    """Pass the validation loss assigned before the call in the same function, if the scheduler
    minimizes (a loss); the latest such assignment wins."""
    mode = call_arg(scheduler.call, 1, "mode")
    if mode is not None and literal(mode) != "min":
        return None
    candidates = [
        assignment for assignment in site.function.bindings.values() for assignment in assignment
        if assignment.order < site.order and _VALIDATION_LOSS.match(assignment.target)
    ]
    if not candidates:
        return None
    name = max(candidates, key=lambda assignment: assignment.order).target
    fixed = site.node.with_changes(args=[cst.Arg(cst.parse_expression(name))])
    return Fix(f"pass `{name}` to `step()`", (replace_node(site.node, fixed),))
