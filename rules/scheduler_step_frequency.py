from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.findings import Severity
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import (
    CallSite, FunctionInfo, LoopInfo, Obj, Script, call_arg, code_of, dotted, if_tests, literal, memoized, walk,
)

HEADER = """\
import torch
from torch import nn, optim
from torch.optim import lr_scheduler
model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=True)
epochs = 90
"""

# Literal sizes at or above this are iteration counts (`MultiStepLR(milestones=[200000, 400000])`
# stepped per iteration is common in super-resolution and GAN code); below, epoch counts.
ITERATION_SIZED_LITERAL = 1000
# ExponentialLR with a gamma closer to 1 than this is meant to decay per iteration.
PER_BATCH_GAMMA = 0.99

_ITERATION_WORDS = frozenset({
    "step", "steps", "nsteps", "iter", "iters", "niter", "niters", "iteration", "iterations",
    "batch", "batches", "loader", "dataloader", "updates", "update",
})
_EPOCH_WORDS = frozenset({"epoch", "epochs", "nepochs", "nepoch"})
# "step" alone is ambiguous (`lr_step`, `step_size` are often epochs); these are not.
_STRONG_ITERATION_WORDS = _ITERATION_WORDS - {"step", "steps", "batch", "update"}
_STEP_QUALIFIERS = frozenset({"warmup", "total", "training", "train", "max", "num", "global", "n"})
_WORD_SPLIT = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_ACCUMULATION = re.compile(r"accum", re.IGNORECASE)

# What sizes each scheduler: (positional index, keyword); None index = keyword only.
_SIZE_ARGS = {
    "StepLR": (1, "step_size"),
    "MultiStepLR": (1, "milestones"),
    "CosineAnnealingLR": (1, "T_max"),
    "PolynomialLR": (1, "total_iters"),
    "ExponentialLR": (1, "gamma"),
}


class SchedulerStepFrequency(Rule):
    """
    ## What it does
    Flags a learning-rate scheduler stepped at the wrong cadence: an epoch-based scheduler
    (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, PolynomialLR) sized in epochs but
    stepped inside the batch loop, or a per-batch scheduler (OneCycleLR, CyclicLR, the
    `transformers` warm-up schedules, a LambdaLR/LinearLR warm-up sized in iterations) stepped once
    per epoch.

    The size is read from the constructor: `StepLR(step_size=30)`, `CosineAnnealingLR(T_max=epochs)`
    are sized in epochs; `step_size=30 * len(train_loader)`, `T_max=epochs * len(loader)`,
    `total_steps`, `num_training_steps`, `max_iters` and literals of 1000 or more are sized in
    iterations and may be stepped per batch. A step guarded by `if (i + 1) % len(loader) == 0`
    (or any `%` / `==` test) runs once per epoch in effect; `scheduler.step(epoch + i / iters)`
    with an explicit value sets the schedule itself. Where the size cannot be read
    (`T_max=cfg.t_max`), the rule stays silent.

    ## Why is this bad?
    A scheduler counts calls to `step()`, not epochs. StepLR(step_size=30, gamma=0.1) stepped every
    batch divides the learning rate by 10 every 30 batches: within the first epoch it is
    effectively zero and training stalls where it stands. In the H200 reference run, StepLR(15, 0.1)
    stepped per batch reached a learning rate of 5e-5 after one epoch and 5e-11 after three; the
    model froze at 84% training accuracy. The other way round, a OneCycleLR or warm-up sized in
    batches but stepped once per epoch advances one batch's worth per epoch: the warm-up never
    ends and the learning rate stays near its starting value for the whole run.

    ## Example
    ```python
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(90):
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
            scheduler.step()  # 90 epochs' worth of decay in the first 90 batches
    ```

    ## Use instead
    ```python
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(90):
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    ```
    or size it in iterations: `StepLR(optimizer, step_size=30 * len(train_loader))`.

    ## References
    - https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate
    - https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.OneCycleLR.html
      ("step should be called after a batch has been used for training")
    - The H200 reference run `sched_per_iter-s0` (../shared/reference-runs/).
    """

    code = "FIT002"
    name = "scheduler-step-frequency"
    severity = Severity.WARNING

    VALID = [
        # epoch scheduler stepped once per epoch, after the batch loop
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()
"""),
        # CosineAnnealingLR sized in iterations, stepped per batch
        Valid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(train_loader))
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # StepLR sized in iterations through a variable, stepped per batch
        Valid(HEADER + """
decay_every = len(train_loader) * 30
scheduler = lr_scheduler.StepLR(optimizer, step_size=decay_every, gamma=0.1)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # MultiStepLR with iteration milestones (super-resolution style)
        Valid(HEADER + """
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[200000, 400000, 600000], gamma=0.5)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # CosineAnnealingWarmRestarts stepped per batch with a fractional epoch
        Valid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=10)
iters = len(train_loader)
for epoch in range(epochs):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step(epoch + i / iters)
"""),
        # stepped inside the batch loop, but only on the epoch's last batch
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
for epoch in range(epochs):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        if (i + 1) % len(train_loader) == 0:
            scheduler.step()
"""),
        # a whole training as a while loop over steps, scheduler sized in steps
        Valid(HEADER + """
max_steps = 100000
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_steps)
global_step = 0
while global_step < max_steps:
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
        global_step += 1
"""),
        # OneCycleLR stepped per batch right after the optimizer
        Valid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader))
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # batch loop in a called function, epoch scheduler stepped in the caller's epoch loop
        Valid(HEADER + """
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()
"""),
        # OneCycleLR deliberately sized in epochs and stepped per epoch
        Valid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=epochs)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()
"""),
        # an epoch-sized LambdaLR stepped per epoch; ExponentialLR meant per iteration
        Valid(HEADER + """
warmup = lr_scheduler.LambdaLR(optimizer, lambda epoch: min(1.0, (epoch + 1) / 5))
decay = lr_scheduler.ExponentialLR(optimizer, gamma=0.99995)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        decay.step()
    warmup.step()
"""),
        # `lr_step` is ambiguous (here it counts epochs): a LambdaLR stepped per epoch stays silent
        Valid(HEADER + """
scheduler = lr_scheduler.LambdaLR(optimizer, lambda epoch: 0.1 ** (epoch // args.lr_step))
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()
"""),
        # the size cannot be read: stay silent
        Valid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg.t_max)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # stepped every accumulation step or at the last batch: per optimizer step, not once per epoch
        Valid("""
import math
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, get_scheduler

model = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=16)
accumulation_steps = 4
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / accumulation_steps)
lr_scheduler = get_scheduler("linear", optimizer=optimizer, num_warmup_steps=100,
                             num_training_steps=3 * num_update_steps_per_epoch)
for epoch in range(3):
    model.train()
    for step, batch in enumerate(train_dataloader):
        loss = model(**batch).loss / accumulation_steps
        loss.backward()
        if step % accumulation_steps == 0 or step == len(train_dataloader) - 1:
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
"""),
    ]

    INVALID = [
        # StepLR sized in epochs, stepped per batch (the H200 reference run)
        Invalid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.1)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()  # FIT002
"""),
        # CosineAnnealingLR(T_max=epochs) stepped per batch inside train(epoch)
        Invalid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
def train(epoch):
    for batch_idx, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()  # FIT002
for epoch in range(epochs):
    train(epoch)
"""),
        # Trainer class: self.scheduler = MultiStepLR stepped per batch, behind `is not None`
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        self.scheduler = lr_scheduler.MultiStepLR(self.optimizer, milestones=[150, 225], gamma=0.1)
    def train_epoch(self):
        for x, y in self.loader:
            self.optimizer.zero_grad()
            criterion(self.model(x), y).backward()
            self.optimizer.step()
            if self.scheduler is not None:
                self.scheduler.step()  # FIT002
"""),
        # per-batch step in a helper called from the batch loop
        Invalid(HEADER + """
scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.95)
def train_step(x, y):
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
    scheduler.step()  # FIT002
for epoch in range(epochs):
    for x, y in train_loader:
        train_step(x, y)
"""),
        # OneCycleLR sized in batches, stepped once per epoch
        Invalid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader))
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()  # FIT002
"""),
        # transformers warm-up stepped at the end of the epoch function
        Invalid(HEADER + """
from transformers import get_linear_schedule_with_warmup
total_steps = len(train_loader) * epochs
scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=500, num_training_steps=total_steps)
def train_one_epoch():
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()  # FIT002
for epoch in range(epochs):
    train_one_epoch()
"""),
        # a LambdaLR warm-up sized in iterations, stepped per epoch
        Invalid(HEADER + """
warmup_steps = 2000
scheduler = lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup_steps))
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()  # FIT002
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        for site in script.calls:
            obj = script.is_scheduler_step(site)
            if obj is None or site.node.args:
                continue
            cadence = intended_cadence(script, obj)
            if cadence is None:
                continue
            kind, evidence = cadence
            if kind == "epoch" and stepped_per_batch(script, site):
                yield Report(site.node, self._per_batch_message(site, obj, evidence), statement=site.statement)
            elif kind == "batch" and not stepped_per_batch(script, site) and stepped_per_epoch(script, site):
                yield Report(site.node, self._per_epoch_message(site, obj, evidence), statement=site.statement)

    @staticmethod
    def _per_batch_message(site: CallSite, obj: Obj, evidence: str) -> str:
        name = obj.qualname.rsplit(".", 1)[-1]
        return (
            f"`{site.name}()` runs once per batch, but {name} is sized in epochs ({evidence}): "
            "the learning rate decays per batch and collapses within the first epoch, so training "
            "stalls (in the H200 reference run, StepLR(15, 0.1) stepped per batch reached 5e-5 after "
            "one epoch and 5e-11 after three); step it once per epoch, after the batch loop, or size "
            "it in iterations (e.g. multiply by `len(train_loader)`)"
        )

    @staticmethod
    def _per_epoch_message(site: CallSite, obj: Obj, evidence: str) -> str:
        name = obj.qualname.rsplit(".", 1)[-1]
        return (
            f"`{site.name}()` runs once per epoch, but {name} is sized in batches ({evidence}): the "
            "schedule advances one batch's worth per epoch, so the warm-up or cycle never completes "
            "and the learning rate stays near its starting value; step it right after "
            "`optimizer.step()` inside the batch loop"
        )


# cadence of the scheduler object ------------------------------------------------------------
def intended_cadence(script: Script, obj: Obj) -> tuple[str, str] | None:
    """('epoch' | 'batch', evidence) when the scheduler's construction says how it is meant to be
    stepped; None when it cannot be told (then the rule stays silent)."""
    name = obj.qualname.rsplit(".", 1)[-1]
    call = obj.call
    function = obj.function
    if name in _SIZE_ARGS:
        position, keyword = _SIZE_ARGS[name]
        arg = call_arg(call, position, keyword)
        if name == "ExponentialLR":
            return _gamma_cadence(script, arg, function)
        if arg is None:
            # PolynomialLR's total_iters defaults to 5: epochs
            return ("epoch", f"{keyword}=5 by default") if name == "PolynomialLR" else None
        if sized_in(script, arg, function) == "epochs":
            return "epoch", f"{keyword}={code_of(arg)}"
        return None
    if obj.detail == "batch":
        return _batch_cadence(script, obj, name)
    if name == "LambdaLR":
        arg = call_arg(call, 1, "lr_lambda")
        if arg is not None and _lambda_sized_in(script, arg, function) == "iterations":
            return "batch", f"lr_lambda uses {_iteration_names(script, arg, function)}"
        return None
    if name == "LinearLR":
        arg = call_arg(call, 3, "total_iters")
        if arg is not None and sized_in(script, arg, function, literals=False, strict=True) == "iterations":
            return "batch", f"total_iters={code_of(arg)}"
    return None


def _gamma_cadence(script: Script, arg: cst.BaseExpression | None, function: FunctionInfo) -> tuple[str, str] | None:
    values = {literal(bound.expr) for bound in script.values(arg, function)} if arg is not None else set()
    if len(values) != 1:
        return None
    gamma = values.pop()
    if isinstance(gamma, int | float) and not isinstance(gamma, bool) and 0 < gamma <= PER_BATCH_GAMMA:
        return "epoch", f"gamma={gamma} per step"
    return None


def _batch_cadence(script: Script, obj: Obj, name: str) -> tuple[str, str] | None:
    """OneCycleLR, CyclicLR and the transformers schedules, unless sized in epochs on purpose."""
    call, function = obj.call, obj.function
    if name == "OneCycleLR":
        per_epoch = call_arg(call, 4, "steps_per_epoch")
        if per_epoch is not None:
            if literal(per_epoch) == 1:
                return None
            return "batch", f"steps_per_epoch={code_of(per_epoch)}"
        total = call_arg(call, 2, "total_steps")
        if total is not None and sized_in(script, total, function, literals=False, strict=True) == "iterations":
            return "batch", f"total_steps={code_of(total)}"
        return None
    if name == "CyclicLR":
        size = call_arg(call, 3, "step_size_up")
        if size is None:
            return "batch", "step_size_up=2000 iterations by default"
        if sized_in(script, size, function, literals=False, strict=True) == "iterations":
            return "batch", f"step_size_up={code_of(size)}"
        return None
    total = call_arg(call, None, "num_training_steps")
    if total is None and name != "get_scheduler":
        total = call_arg(call, 2, None)
    if total is not None and sized_in(script, total, function) == "epochs":
        return None
    return "batch", f"`{name}` counts optimizer steps"


# sizing ---------------------------------------------------------------------------------------
def sized_in(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
             literals: bool = True, exclude: frozenset[str] = frozenset(), strict: bool = False) -> str | None:
    """'iterations' or 'epochs' when an expression (and what its names are bound to) says what a
    schedule is sized in; None when it cannot be told. With ``literals``, a bare number (or list of
    numbers) counts as epochs below ITERATION_SIZED_LITERAL and as iterations from it. ``strict``
    asks for unambiguous iteration evidence (`warmup_steps`, `max_iters`, `len(loader)`, not
    `lr_step`): use it where 'iterations' leads to a finding."""
    identifiers, numbers, has_len = _size_evidence(script, expr, function, exclude)
    words = set().union(*identifiers) if identifiers else set()
    if has_len or any(_iteration_sized(parts, strict) for parts in identifiers):
        return "iterations"
    if strict and words & _ITERATION_WORDS:
        return None
    if words & _EPOCH_WORDS:
        return "epochs"
    if literals and numbers and not words:
        return "iterations" if max(numbers) >= ITERATION_SIZED_LITERAL else "epochs"
    return None


def _size_evidence(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
                   exclude: frozenset[str]) -> tuple[list[set[str]], list[float], bool]:
    identifiers: list[set[str]] = []
    numbers: list[float] = []
    has_len = False
    seen: set[int] = set()
    pending = [(bound.expr, bound.function) for bound in script.values(expr, function)]
    if not any(bound is expr for bound, _ in pending):
        pending.append((expr, function))
    while pending:
        node, scope = pending.pop()
        if id(node) in seen or len(seen) > 50:
            continue
        seen.add(id(node))
        collector = _Identifiers(exclude)
        walk(node, collector)
        has_len = has_len or collector.has_len
        numbers += collector.numbers
        for name in collector.names:
            identifiers.append(identifier_words(name))
            for bound in script.values(cst.Name(name), scope):
                if not isinstance(bound.expr, cst.Name) or bound.expr.value != name:
                    pending.append((bound.expr, bound.function))
        for attr in collector.attrs:
            identifiers.append(identifier_words(attr))
    return identifiers, numbers, has_len


def _iteration_sized(parts: set[str], strict: bool) -> bool:
    if not strict:
        return bool(parts & _ITERATION_WORDS)
    return bool(parts & _STRONG_ITERATION_WORDS) or bool(parts & {"step", "steps"} and parts & _STEP_QUALIFIERS)


def identifier_words(name: str) -> set[str]:
    """``num_training_steps`` -> {num, training, steps}; ``maxIters`` -> {max, iters}."""
    return {word for word in _WORD_SPLIT.split(_CAMEL.sub("_", name).lower()) if word}


class _Identifiers(cst.CSTVisitor):
    def __init__(self, exclude: frozenset[str]) -> None:
        self.exclude = exclude
        self.names: list[str] = []
        self.attrs: list[str] = []
        self.numbers: list[float] = []
        self.has_len = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value not in self.exclude and node.value not in ("True", "False", "None"):
            self.names.append(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        self.attrs.append(node.attr.value)
        walk(node.value, self)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        if dotted(node.func) == "len":
            self.has_len = True

    def visit_Integer(self, node: cst.Integer) -> None:
        self.numbers.append(float(literal(node)))

    def visit_Float(self, node: cst.Float) -> None:
        self.numbers.append(float(literal(node)))


def _lambda_sized_in(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> str | None:
    """What a LambdaLR's ``lr_lambda`` is sized in: the names its body uses, its own parameters left
    out (a parameter called ``step`` says nothing: LambdaLR passes the step count either way)."""
    for body, params, scope in _lambda_bodies(script, expr, function):
        found = sized_in(script, body, scope, literals=False, exclude=params, strict=True)
        if found is not None:
            return found
    return None


def _iteration_names(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> str:
    for body, params, scope in _lambda_bodies(script, expr, function):
        collector = _Identifiers(params)
        walk(body, collector)
        names = [name for name in collector.names + collector.attrs if _iteration_sized(identifier_words(name), True)]
        if names:
            return f"`{names[0]}`"
        if collector.has_len:
            return "`len(...)`"
    return "an iteration count"


def _lambda_bodies(script: Script, expr: cst.BaseExpression, function: FunctionInfo):
    for bound in script.values(expr, function):
        node = bound.expr
        if isinstance(node, cst.Lambda):
            params = frozenset(param.name.value for param in node.params.params)
            yield node.body, params, bound.function
        elif isinstance(node, cst.Name):
            # a bare name is a function in scope, never a method of the same name
            candidate = script.visible_function(node.value, bound.function)
            if candidate is not None:
                yield candidate.node.body, frozenset(candidate.params), candidate


# cadence of the step call ---------------------------------------------------------------------
def stepped_per_batch(script: Script, site: CallSite, depth: int = 0) -> bool:
    """The call runs once per training batch: inside a batch loop that trains (not behind a
    once-per-epoch guard), or in a function called that way."""
    for loop in script.enclosing_loops(site.loop):
        if script.is_batch_loop(loop) and script.loop_trains(loop):
            return not _guarded(loop, site.node)
    if site.loop is not None or depth > 2:
        return False
    return any(stepped_per_batch(script, caller, depth + 1) for caller in script.call_sites_of(site.function))


def stepped_per_epoch(script: Script, site: CallSite, depth: int = 0) -> bool:
    """The call runs once per pass over the training data: in an epoch loop outside its batch
    loops, or after the batch loop of a function that the epoch loop calls."""
    if any(script.is_epoch_loop(loop) for loop in script.enclosing_loops(site.loop)):
        return True
    if site.loop is not None or depth > 2:
        return False
    function = site.function
    trained_before = any(
        loop.parent is None and loop.end_order < site.order and script.is_batch_loop(loop) and script.loop_trains(loop)
        for loop in function.loops
    )
    callers = script.call_sites_of(function)
    if trained_before:
        return any(caller.loop is not None and not stepped_per_batch(script, caller) for caller in callers)
    return any(stepped_per_epoch(script, caller, depth + 1) for caller in callers)


def _guarded(loop: LoopInfo, call: cst.Call) -> bool:
    """The call sits behind an ``if`` that makes it periodic within the batch loop
    (``if (i + 1) % len(loader) == 0``, ``if i == last``, ``if end_of_epoch``), not behind one that
    only checks the scheduler exists. A modulo over gradient-accumulation steps stays per batch."""
    for test in _if_tests_by_call(loop.function, loop.node).get(id(call), ()):
        if _is_periodic(test):
            return True
    return False


@memoized
def _if_tests_by_call(function: FunctionInfo, loop_node: cst.For | cst.While) -> dict[int, tuple[cst.BaseExpression, ...]]:
    """The ``if`` tests around each call (by ``id``) in the loop's body; the loop is ``function``'s."""
    return if_tests(loop_node.body)


def _is_periodic(test: cst.BaseExpression) -> bool:
    """The test holds only now and then within the batch loop (every N batches, at the last
    batch). ``a or b`` holds whenever one side does: periodic only if both are (``step %
    accumulation == 0 or step == last`` is every accumulation step); ``a and b``: if either is."""
    if isinstance(test, cst.BooleanOperation):
        left, right = _is_periodic(test.left), _is_periodic(test.right)
        return (left and right) if isinstance(test.operator, cst.Or) else (left or right)
    if isinstance(test, cst.Comparison) and isinstance(test.left, cst.BinaryOperation) and isinstance(
            test.left.operator, cst.Modulo):
        return not _ACCUMULATION.search(code_of(test.left.right))
    finder = _PeriodicTest()
    walk(test, finder)
    return finder.periodic


class _PeriodicTest(cst.CSTVisitor):
    def __init__(self) -> None:
        self.periodic = False

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if isinstance(node.operator, cst.Modulo) and not _ACCUMULATION.search(code_of(node.right)):
            self.periodic = True

    def visit_ComparisonTarget(self, node: cst.ComparisonTarget) -> None:
        if isinstance(node.operator, cst.Equal):
            self.periodic = True

    def visit_Name(self, node: cst.Name) -> None:
        words = identifier_words(node.value)
        if words & {"last", "end"} or {"epoch", "done"} <= words:
            self.periodic = True


