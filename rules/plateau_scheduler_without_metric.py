from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.fixes.edits import replace_node
from fitlint.findings import Severity
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, Obj, Script, call_arg, code_of, dotted, literal
from fitlint.fixes.safety import is_number, local_class_of

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
    loss), or given the epoch counter in its place (`scheduler.step(epoch)` inside `for epoch in
    range(...)`, a line left from a step-based schedule).

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
    `loss_val`, ...) is assigned earlier in the same function, the scheduler watches a loss
    (`mode="min"`, the default) and the value is known to be a number (`.item()`, arithmetic of
    numbers, a function of this file that returns one), the fix passes it:
    `scheduler.step(val_loss)`. An average meter built from a class of this file that sets
    `self.avg` passes its average: `scheduler.step(val_loss.avg)`. Otherwise there is no fix:
    which value to monitor, and how to read it, is the author's choice.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.ReduceLROnPlateau.html
    """

    code = "FIT003"
    name = "plateau-scheduler-without-metric"
    severity = Severity.ERROR
    fixable = True

    VALID = [
        # a step-based scheduler given the epoch (deprecated, but it is the epoch it expects)
        Valid(HEADER + """
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10)
for epoch in range(30):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step(epoch)
"""),
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
        # the epoch counter handed as the metric (an old `scheduler.step(epoch)` line left beside the
        # plateau scheduler)
        Invalid(HEADER + """
scheduler = ReduceLROnPlateau(optimizer, mode="min", patience=3)
for epoch in range(30):
    scheduler.step(epoch)  # FIT003
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""),
        Invalid(HEADER + """
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5)
def evaluate(model):
    total = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            total += criterion(model(x), y).item()
    return total / len(val_loader)
for epoch in range(10):
    val_loss = evaluate(model)
    scheduler.step()  # FIT003
""", fixed=HEADER + """
scheduler = ReduceLROnPlateau(optimizer, mode="min", factor=0.5)
def evaluate(model):
    total = 0.0
    with torch.no_grad():
        for x, y in val_loader:
            total += criterion(model(x), y).item()
    return total / len(val_loader)
for epoch in range(10):
    val_loss = evaluate(model)
    scheduler.step(val_loss)  # FIT003
"""),
        # an AverageMeter of this file: its average is passed
        Invalid(HEADER + """
class AverageMeter:
    def __init__(self):
        self.sum, self.count, self.avg = 0.0, 0, 0.0
    def update(self, value, n=1):
        self.sum += value * n
        self.count += n
        self.avg = self.sum / self.count
scheduler = ReduceLROnPlateau(optimizer)
for epoch in range(10):
    val_loss = AverageMeter()
    for x, y in val_loader:
        val_loss.update(criterion(model(x), y).item(), x.size(0))
    scheduler.step()  # FIT003
""", fixed=HEADER + """
class AverageMeter:
    def __init__(self):
        self.sum, self.count, self.avg = 0.0, 0, 0.0
    def update(self, value, n=1):
        self.sum += value * n
        self.count += n
        self.avg = self.sum / self.count
scheduler = ReduceLROnPlateau(optimizer)
for epoch in range(10):
    val_loss = AverageMeter()
    for x, y in val_loader:
        val_loss.update(criterion(model(x), y).item(), x.size(0))
    scheduler.step(val_loss.avg)  # FIT003
"""),
        # a meter imported from elsewhere, a value from a function not in this file: what to
        # pass is not certain, so no fix
        Invalid(HEADER + """
from utils import AverageMeter
scheduler = ReduceLROnPlateau(optimizer)
for epoch in range(10):
    val_loss = AverageMeter()
    for x, y in val_loader:
        val_loss.update(criterion(model(x), y).item(), x.size(0))
    scheduler.step()  # FIT003
"""),
        Invalid(HEADER + """
from engine import evaluate
scheduler = ReduceLROnPlateau(optimizer)
for epoch in range(10):
    val_loss = evaluate(model, val_loader)
    scheduler.step()  # FIT003
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
            if scheduler is None or scheduler.detail != "plateau" or script.never_runs(site.statement, site.function):
                continue
            metric = next((arg.value for arg in site.node.args if arg.keyword is None or arg.keyword.value == "metrics"), None)
            counter = _epoch_counter(site, metric)
            if counter is not None:
                yield Report(site.node, (
                    f"`{site.written}({counter})` passes the epoch counter where ReduceLROnPlateau expects the "
                    "metric it monitors: the count never stops rising, so in 'min' mode the rate is cut every "
                    "`patience` epochs whatever the validation loss does (and never in 'max' mode); pass the "
                    "validation loss, e.g. `scheduler.step(val_loss)`"), statement=site.statement)
                continue
            if metric is not None:
                continue
            yield Report(
                site.node,
                f"`{site.written}()` is called without the metric ReduceLROnPlateau monitors: PyTorch "
                "raises a TypeError at the end of the first epoch (older versions never reduced the "
                "rate); pass the validation loss, e.g. `scheduler.step(val_loss)`",
                statement=site.statement,
                fix=_fix(script, site, scheduler),
            )


def _epoch_counter(site: CallSite, metric: cst.BaseExpression | None) -> str | None:
    """The name handed as the metric when it is the counter of a loop around the call over a
    ``range`` (``for epoch in range(epochs): ... scheduler.step(epoch)``)."""
    if type(metric) is not cst.Name:
        return None
    loop = site.loop
    while loop is not None:
        if (type(loop.target) is cst.Name and loop.target.value == metric.value and type(loop.iter) is cst.Call
                and dotted(loop.iter.func) == "range"):
            return metric.value
        loop = loop.parent
    return None


_VALIDATION_LOSS = re.compile(r"^(?:self\.)?(?:val|valid|validation|dev|eval|test)_?loss(?:es)?$|^(?:self\.)?loss_?(?:val|valid|validation|dev|eval|test)$")


def _fix(script: Script, site: CallSite, scheduler: Obj) -> Fix | None:
    """Pass the validation loss assigned before the call in the same function, if the scheduler
    minimizes (a loss) and the value is known to be a number (an average meter of this file
    passes its ``.avg``); the latest such assignment wins."""
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
    value = cst.parse_expression(name)
    if not is_number(script, value, site.function):
        value = _meter_average(script, value, site.function)
        if value is None:
            return None
    code = code_of(value)
    fixed = site.node.with_changes(args=[cst.Arg(value)])
    return Fix(f"pass `{code}` to `step()`", (replace_node(site.node, fixed),))


def _meter_average(script: Script, meter: cst.BaseExpression, function) -> cst.BaseExpression | None:
    """``val_loss.avg`` for an average meter: an instance of a class of this file that sets
    ``self.avg`` (the AverageMeter of the ImageNet example); None for anything less certain."""
    cls = local_class_of(script, meter, function)
    if cls is None or "avg" not in cls.attrs:
        return None
    return cst.Attribute(value=meter, attr=cst.Name("avg"))
