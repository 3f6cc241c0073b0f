"""When a learning-rate scheduler is meant to be stepped, and when a ``step()`` call runs.

Part of the shared analysis. Two questions (FIT001, FIT002 and the audit ask them):

- ``intended_cadence(script, obj)``: is this scheduler meant to be stepped once per batch or once
  per epoch? The class decides for some (``catalog.fixed_cadence``: OneCycleLR, CyclicLR and the
  ``transformers`` warm-ups count batches; ReduceLROnPlateau reads a metric), the construction for
  the rest: ``StepLR(step_size=30)`` and ``CosineAnnealingLR(T_max=epochs)`` are sized in epochs,
  ``CosineAnnealingLR(T_max=epochs * len(loader))`` and a LambdaLR over ``warmup_steps`` in
  iterations.
- ``stepped_per_batch(script, site)`` / ``stepped_per_epoch(script, site)``: where a ``step()``
  call runs: inside a training batch loop (a DataLoader, a batch generator, index batches), also
  behind a gradient-accumulation guard, or once per pass over the data.
- ``lightning_schedulers(script)``: the schedulers a LightningModule's ``configure_optimizers``
  hands to Lightning, which steps each once per ``interval`` of its config ('epoch' by default).
- ``handed_scheduler_step(script, site)``: ``scheduler.step()`` on a scheduler the file is only
  handed (a trainer's or helper's parameter): its class is unknown, its name says what it is.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.catalog import ObjKind
from fitlint.analysis.script import (
    CallSite, ClassInfo, FunctionInfo, LoopInfo, Obj, Script, call_arg, code_of, contains, dotted, if_statements, literal, memoized,
    walk,
)
from fitlint.analysis.optimization import number
from fitlint.words import words

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
_STEP_QUALIFIERS = frozenset({"warmup", "total", "training", "train", "max", "num", "global", "n", "per"})
_ACCUMULATION = re.compile(r"accum", re.IGNORECASE)

# What sizes each scheduler: (positional index, keyword); None index = keyword only.
_SIZE_ARGS = {
    "StepLR": (1, "step_size"),
    "MultiStepLR": (1, "milestones"),
    "CosineAnnealingLR": (1, "T_max"),
    "PolynomialLR": (1, "total_iters"),
    "ExponentialLR": (1, "gamma"),
}



@dataclass(frozen=True)
class Cadence:
    """How often a scheduler is meant to be stepped: ``per`` is 'batch' or 'epoch'; ``evidence``
    says what in its construction shows it (for a message: ``T_max=epochs``)."""

    per: str
    evidence: str


# cadence of the scheduler object ------------------------------------------------------------
def intended_cadence(script: Script, obj: Obj) -> Cadence | None:
    """How the scheduler's construction says it is meant to be stepped; None when it cannot be
    told (then rules stay silent)."""
    name = obj.qualname.rsplit(".", 1)[-1]
    call = obj.call
    function = obj.function
    if name in _SIZE_ARGS:
        position, keyword = _SIZE_ARGS[name]
        arg = script.keyword_value(call, position, keyword, function)  # also through `**sched_cfg`
        if name == "ExponentialLR":
            return _gamma_cadence(script, arg, function)
        if arg is None:
            # PolynomialLR's total_iters defaults to 5: epochs
            return Cadence("epoch", f"{keyword}=5 by default") if name == "PolynomialLR" else None
        if sized_in(script, arg, function) == "epochs":
            return Cadence("epoch", f"{keyword}={code_of(arg)}")
        if sized_in(script, arg, function, literals=False, strict=True) == "iterations":
            return Cadence("batch", f"{keyword}={code_of(arg)}")
        return None
    if obj.detail == "batch":
        return _batch_cadence(script, obj, name)
    if name == "LambdaLR":
        arg = call_arg(call, 1, "lr_lambda")
        if arg is not None and _lambda_sized_in(script, arg, function) == "iterations":
            return Cadence("batch", f"lr_lambda uses {_iteration_names(script, arg, function)}")
        return None
    if name == "LinearLR":
        arg = call_arg(call, 3, "total_iters")
        if arg is not None and sized_in(script, arg, function, literals=False, strict=True) == "iterations":
            return Cadence("batch", f"total_iters={code_of(arg)}")
    return None


def _gamma_cadence(script: Script, arg: cst.BaseExpression | None, function: FunctionInfo) -> Cadence | None:
    values = {literal(bound.expr) for bound in script.values(arg, function)} if arg is not None else set()
    if len(values) != 1:
        return None
    gamma = values.pop()
    if isinstance(gamma, int | float) and not isinstance(gamma, bool) and 0 < gamma <= PER_BATCH_GAMMA:
        return Cadence("epoch", f"gamma={gamma} per step")
    return None


def _batch_cadence(script: Script, obj: Obj, name: str) -> Cadence | None:
    """OneCycleLR, CyclicLR and the transformers schedules, unless sized in epochs on purpose."""
    call, function = obj.call, obj.function
    if name == "OneCycleLR":
        total = call_arg(call, 2, "total_steps")
        if total is not None:
            # `total_steps` wins over `epochs * steps_per_epoch` (PyTorch uses it when given); a
            # literal of thousands of steps counts batches too: nobody runs 5000 epochs of a cycle
            if sized_in(script, total, function, strict=True) == "iterations":
                return Cadence("batch", f"total_steps={code_of(total)}")
            return None
        per_epoch = call_arg(call, 4, "steps_per_epoch")
        if per_epoch is not None:
            if literal(per_epoch) == 1:
                return None
            return Cadence("batch", f"steps_per_epoch={code_of(per_epoch)}")
        return None
    if name == "CyclicLR":
        size = call_arg(call, 3, "step_size_up")
        if size is None:
            return Cadence("batch", "step_size_up=2000 iterations by default")
        if sized_in(script, size, function, literals=False, strict=True) == "iterations":
            return Cadence("batch", f"step_size_up={code_of(size)}")
        return None
    total = call_arg(call, None, "num_training_steps")
    if total is None and name != "get_scheduler":
        total = call_arg(call, 2, None)
    if total is not None and sized_in(script, total, function) == "epochs":
        return None
    return Cadence("batch", f"`{name}` counts optimizer steps")


# sizing ---------------------------------------------------------------------------------------
def sized_in(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
             literals: bool = True, exclude: frozenset[str] = frozenset(), strict: bool = False) -> str | None:
    """'iterations' or 'epochs' when an expression (and what its names are bound to) says what a
    schedule is sized in; None when it cannot be told. With ``literals``, a bare number (or list of
    numbers) counts as epochs below ITERATION_SIZED_LITERAL and as iterations from it. ``strict``
    asks for unambiguous iteration evidence (`warmup_steps`, `max_iters`, `len(loader)`, not
    `lr_step`): use it where 'iterations' leads to a finding."""
    if _bounds_epoch_loop(script, expr):
        return "epochs"  # `T_max=max_iter` where `for epoch in range(max_iter):` walks the epochs
    identifiers, numbers, has_len = _size_evidence(script, expr, function, exclude)
    words = set().union(*identifiers) if identifiers else set()
    if has_len or any(_iteration_sized(parts, True) for parts in identifiers):
        return "iterations"
    if strict and words & _ITERATION_WORDS:
        return None
    if any(_iteration_sized(parts, False) for parts in identifiers) and not words & _EPOCH_WORDS:
        # only an ambiguous word (`LR_STEP = 8`, `decay_step`): the number it holds decides
        if literals and numbers:
            return "iterations" if max(numbers) >= ITERATION_SIZED_LITERAL else "epochs"
        return "iterations"
    if words & _EPOCH_WORDS:
        return "epochs"
    if literals and numbers and not words:
        return "iterations" if max(numbers) >= ITERATION_SIZED_LITERAL else "epochs"
    return None


def _bounds_epoch_loop(script: Script, expr: cst.BaseExpression) -> bool:
    """The name (``max_iter``, ``opt.niter``) is the stop of a ``range`` that an epoch loop walks
    (one that holds a training batch loop): whatever its words say, it counts epochs."""
    name = dotted(expr)
    if name is None:
        return False
    for loop in script.loops:
        source = loop.iter
        if type(source) is not cst.Call or dotted(source.func) != "range" or not source.args:
            continue
        stop = source.args[1 if len(source.args) > 1 else 0].value
        if type(stop) is cst.BinaryOperation and type(stop.operator) is cst.Add and literal(stop.right) == 1:
            stop = stop.left  # `range(1, epochs + 1)`
        if dotted(stop) == name and script.is_epoch_loop(loop):
            return True
    return False


def _size_evidence(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
                   exclude: frozenset[str]) -> tuple[list[set[str]], list[float], bool]:
    identifiers: list[set[str]] = []
    numbers: list[float] = []
    has_len = False
    seen: set[int] = set()
    pending = [(bound.expr, bound.function) for bound in script.values(expr, function)]
    # the expression's own names count too, unless it is an entry read out of a dict (`CFG["lr_step"]`
    # resolved to its value: the dict's name says nothing about the size)
    if not any(bound is expr for bound, _ in pending) and not (type(expr) is cst.Subscript and pending):
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
            identifiers.append(set(words(name, digits=False)))
            for bound in script.values(cst.Name(name), scope):
                if type(bound.expr) is not cst.Name or bound.expr.value != name:
                    pending.append((bound.expr, bound.function))
        for attr in collector.attrs:
            identifiers.append(set(words(attr, digits=False)))
        declared = script.option_declaration(node, scope) if type(node) is cst.Attribute else None
        default = call_arg(declared, None, "default") if declared is not None else None
        if default is not None:  # `args.step_size` runs with `add_argument("--step_size", default=10)`
            pending.append((default, scope))
    return identifiers, numbers, has_len


def _iteration_sized(parts: set[str], strict: bool) -> bool:
    if not strict:
        return bool(parts & _ITERATION_WORDS)
    return bool(parts & _STRONG_ITERATION_WORDS) or bool(parts & {"step", "steps"} and parts & _STEP_QUALIFIERS)


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

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> bool:
        # `32000 // len(train_loader)`, `total_steps // steps_per_epoch`: iterations divided by the
        # batches of an epoch count epochs, whatever the dividend is called
        if type(node.operator) in (cst.FloorDivide, cst.Divide):
            divisor = node.right
            if type(divisor) is cst.Call and dotted(divisor.func) == "len":
                return False
            if "per_epoch" in (dotted(divisor) or "").lower():
                return False
        return True

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
        names = [name for name in collector.names + collector.attrs if _iteration_sized(set(words(name, digits=False)), True)]
        if names:
            return f"`{names[0]}`"
        if collector.has_len:
            return "`len(...)`"
    return "an iteration count"


def _lambda_bodies(script: Script, expr: cst.BaseExpression, function: FunctionInfo):
    for bound in script.values(expr, function):
        node = bound.expr
        if type(node) is cst.Lambda:
            params = frozenset(param.name.value for param in node.params.params)
            yield node.body, params, bound.function
        elif type(node) is cst.Name:
            # a bare name is a function in scope, never a method of the same name
            candidate = script.visible_function(node.value, bound.function)
            if candidate is not None:
                yield candidate.node.body, frozenset(candidate.params), candidate


# a scheduler the file is handed -----------------------------------------------------------------
# The words of a receiver named for a learning-rate scheduler (`scheduler`, `lr_scheduler`,
# `self.sched`, `warmup_scheduler`, `schedulerLR`); `kl_scheduler` or `noise_scheduler` schedule
# something else.
_SCHEDULER_WORDS = frozenset({"scheduler", "sched"})
_RATE_WORDS = frozenset({"self", "lr", "learning", "rate", "warmup"})


def handed_scheduler_step(script: Script, site: CallSite) -> bool:
    """``scheduler.step()`` (or ``scheduler.step(epoch)``) on a receiver bound to nothing the file
    builds: a parameter of a trainer or helper that no code of the file calls (``def
    loop(self, epochs, data, scheduler=None)``), ``self.scheduler`` set from one. Such code gets
    its scheduler from the caller in another module, so the class is unknown; the receiver's name
    is all there is, and only a name that says learning-rate scheduler counts. What holds for every
    learning-rate scheduler (stepped before the epoch's training, each change comes early) can be
    asked of it; its cadence cannot."""
    if site.method != "step" or site.receiver is None or len(site.node.args) > 1:
        return False
    parts = set(words(dotted(site.receiver)))
    if len(parts & _SCHEDULER_WORDS) != 1 or not parts - _SCHEDULER_WORDS <= _RATE_WORDS:
        return False
    return all(type(bound.expr) in (cst.Name, cst.Attribute) for bound in script.values(site.receiver, site.function))


# an explicit epoch ----------------------------------------------------------------------------
def epoch_runs_ahead(script: Script, site: CallSite) -> bool:
    """``scheduler.step(epoch)`` (the deprecated closed form) sets the rate of epoch ``epoch``
    itself, which is right when it counts the epochs trained so far from 0. It runs one ahead when
    the loop counts from 1 (``for epoch in range(1, epochs + 1)``, ``range(args.start_epoch, ...)``
    with a default of 1) or the call passes ``epoch + 1``."""
    arg = site.arg(0, "epoch")
    offset = 0
    if type(arg) is cst.BinaryOperation and type(arg.operator) is cst.Add:
        value = literal(arg.right)
        if type(value) is not int:
            return False
        arg, offset = arg.left, value
    if type(arg) is not cst.Name:
        return False
    for loop in script.enclosing_loops(site.loop):
        if type(loop.target) is cst.Name and loop.target.value == arg.value:
            start = _range_start(script, loop)
            return start is not None and start + offset >= 1
    return False


def skips_first_iteration(script: Script, site: CallSite) -> bool:
    """The call is behind ``if epoch > 0:`` (``epoch != start``, ``epoch >= start + 1``) in ``for
    epoch in range(start, ...)``: it runs from the second iteration on, at the top of each, which
    is right after the previous iteration's training: the order PyTorch asks for."""
    loop = site.loop
    if loop is None or type(loop.target) is not cst.Name:
        return False
    guards = _guards_by_call(loop.function, loop.node).get(id(site.node), ())
    return any(contains(guard.body, site.node) and _after_first(script, guard.test, loop) for guard in guards)


_FLIPPED = {cst.LessThan: cst.GreaterThan, cst.LessThanEqual: cst.GreaterThanEqual, cst.NotEqual: cst.NotEqual}


def _after_first(script: Script, test: cst.BaseExpression, loop: LoopInfo) -> bool:
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    operator, other = type(test.comparisons[0].operator), test.comparisons[0].comparator
    if dotted(other) == loop.target.value:  # `0 < epoch`
        operator, other = _FLIPPED.get(operator), test.left
    elif dotted(test.left) != loop.target.value:
        return False
    source = loop.iter
    if type(source) is cst.Call and dotted(source.func) == "range" and len(source.args) > 1 and code_of(
            source.args[0].value) == code_of(other):
        return operator in (cst.GreaterThan, cst.NotEqual)  # `epoch > args.start_epoch`
    start, bound = _range_start(script, loop), number(script, other, loop.function)
    if start is None or bound is None:
        return False
    if operator in (cst.GreaterThan, cst.NotEqual):
        return bound.value == start
    return operator is cst.GreaterThanEqual and bound.value == start + 1


def _range_start(script: Script, loop: LoopInfo) -> float | None:
    source = loop.iter
    if not (type(source) is cst.Call and dotted(source.func) == "range" and source.args):
        return None
    if len(source.args) == 1:
        return 0
    found = number(script, source.args[0].value, loop.function)
    return found.value if found is not None else None


# cadence of the step call ---------------------------------------------------------------------
def stepped_per_batch(script: Script, site: CallSite, depth: int = 0) -> bool:
    """The call runs once per training batch: inside a batch loop that trains (not behind a
    once-per-epoch guard), or in a function called that way."""
    for loop in script.enclosing_loops(site.loop):
        if script.is_batch_loop(loop) and script.loop_trains(loop):
            return not _guarded(script, loop, site)
    if site.loop is not None or depth > 2:
        return False
    return any(stepped_per_batch(script, caller, depth + 1) for caller in script.call_sites_of(site.function))


def stepped_per_epoch(script: Script, site: CallSite, depth: int = 0) -> bool:
    """The call runs once per pass over the training data: in an epoch loop outside its batch
    loops, or after the batch loop of a function that the epoch loop calls."""
    if site.repeated:
        return False  # `[train_step(...) for xb, yb in loader]`: once per element
    for loop in script.enclosing_loops(site.loop):
        if script.is_epoch_loop(loop):
            return True
        if script.loop_trains(loop):
            return False  # inside a loop of training steps the analysis did not take for a batch loop
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


def _guarded(script: Script, loop: LoopInfo, site: CallSite) -> bool:
    """The call sits behind an ``if`` that makes it periodic within the batch loop
    (``if (i + 1) % len(loader) == 0``, ``if i == last``, ``if end_of_epoch``), not behind one that
    only checks the scheduler exists. A guard that also steps the optimizer (``if (i + 1) % accum
    == 0: optimizer.step(); scheduler.step()``) is the update cadence: still once per iteration."""
    for guard in _guards_by_call(loop.function, loop.node).get(id(site.node), ()):
        if _is_periodic(guard.test) and not _steps_optimizer(script, loop, guard):
            return True
    return False


def _steps_optimizer(script: Script, loop: LoopInfo, guard: cst.If) -> bool:
    return any(script.is_optimizer_step(other) and contains(guard.body, other.node) for other in loop.all_calls())


@memoized
def _guards_by_call(function: FunctionInfo, loop_node: cst.For | cst.While) -> dict[int, tuple[cst.If, ...]]:
    """The ``if`` statements around each call (by ``id``) in the loop's body; the loop is ``function``'s."""
    return if_statements(loop_node.body)


def _is_periodic(test: cst.BaseExpression) -> bool:
    """The test holds only now and then within the batch loop (every N batches, at the last
    batch). ``a or b`` holds whenever one side does: periodic only if both are (``step %
    accumulation == 0 or step == last`` is every accumulation step); ``a and b``: if either is."""
    if type(test) is cst.BooleanOperation:
        left, right = _is_periodic(test.left), _is_periodic(test.right)
        return (left and right) if type(test.operator) is cst.Or else (left or right)
    if type(test) is cst.Comparison and type(test.left) is cst.BinaryOperation and isinstance(
            test.left.operator, cst.Modulo):
        return not _ACCUMULATION.search(code_of(test.left.right))
    finder = _PeriodicTest()
    walk(test, finder)
    return finder.periodic


class _PeriodicTest(cst.CSTVisitor):
    def __init__(self) -> None:
        self.periodic = False

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> None:
        if type(node.operator) is cst.Modulo and not _ACCUMULATION.search(code_of(node.right)):
            self.periodic = True

    def visit_ComparisonTarget(self, node: cst.ComparisonTarget) -> None:
        # `i == last_batch` holds once per pass; `args.lr_schedule == "cyclic"`, an option, holds
        # at every batch or at none
        if type(node.operator) is cst.Equal and type(literal(node.comparator)) is not str:
            self.periodic = True

    def visit_Name(self, node: cst.Name) -> None:
        found = set(words(node.value, digits=False))
        if found & {"last", "end"} or {"epoch", "done"} <= found:
            self.periodic = True




# schedulers Lightning steps --------------------------------------------------------------------
# How deep a returned value is followed through lists, config dicts and names.
_MAX_CONFIG_DEPTH = 6


@dataclass(frozen=True)
class HandedScheduler:
    """A scheduler that ``configure_optimizers`` returns to Lightning, handed over at ``node``:
    Lightning steps it once per ``interval`` ('epoch', its default, or 'step')."""

    obj: Obj
    node: cst.CSTNode
    interval: str


def lightning_schedulers(script: Script) -> list[HandedScheduler]:
    """The schedulers LightningModules return from ``configure_optimizers`` and leave Lightning to
    step: none from a module that steps its schedulers by hand (``self.lr_schedulers().step()`` in a
    hook, manual optimization), where the config's interval does not decide the cadence."""
    found: list[HandedScheduler] = []
    for function in script.functions_by_name.get("configure_optimizers", []):
        cls = function.cls
        if cls is None or not script.class_is(cls, catalog.LIGHTNING_BASES) or _steps_by_hand(script, cls):
            continue
        body = getattr(function.node.body, "body", ())
        for returned, local in _returns_with_bindings(body, {}):
            found += _handed(script, returned, function, local, None, 0)
    return found


def _returns_with_bindings(statements, local: dict[str, cst.BaseExpression]):
    """Each returned value with the names bound before it in its own block or the blocks around it
    (``if name == "onecycle": scheduler = OneCycleLR(...); return [opt], [scheduler]``): what the
    return sees of each, where the function binds it in several branches."""
    local = dict(local)
    for statement in statements:
        if type(statement) is cst.SimpleStatementLine:
            for small in statement.body:
                if type(small) is cst.Assign and len(small.targets) == 1 and type(small.targets[0].target) is cst.Name:
                    local[small.targets[0].target.value] = small.value
                elif type(small) is cst.Return and small.value is not None:
                    yield small.value, local
            continue
        for block in _blocks(statement):
            yield from _returns_with_bindings(block, local)


def _blocks(statement: cst.CSTNode) -> list:
    """The statement lists a compound statement runs (its body, else, except and finally blocks)."""
    blocks = []
    for part in (getattr(statement, "body", None), getattr(statement, "orelse", None),
                 getattr(statement, "finalbody", None), *getattr(statement, "handlers", ())):
        if part is None:
            continue
        if type(part) is cst.If:
            blocks += _blocks(part)
        elif isinstance(part, cst.BaseSuite):
            blocks.append(getattr(part, "body", ()))
        else:
            blocks += _blocks(part)
    return [block for block in blocks if block]


def _steps_by_hand(script: Script, cls: ClassInfo) -> bool:
    if "automatic_optimization" in script.source:
        return True
    return any(
        site.function.cls is cls and site.function.name != "lr_scheduler_step"
        for site in script.calls_by_method.get("lr_schedulers", [])
    )


def _handed(script: Script, expr: cst.BaseExpression, function: FunctionInfo, local: dict[str, cst.BaseExpression],
            interval: str | None, depth: int) -> list[HandedScheduler]:
    """The schedulers in a returned value: ``[opt], [sched]``, ``{"optimizer": opt, "lr_scheduler":
    sched}``, a config ``{"scheduler": sched, "interval": "step"}`` (an interval that is not a
    literal 'epoch' or 'step' hands over nothing: its cadence is unknown), or names bound to those.
    A name bound in several branches, none of them the return's own, may be any of several
    schedulers: nothing is handed over then."""
    if depth > _MAX_CONFIG_DEPTH:
        return []
    kind = type(expr)
    if kind is cst.Name and expr.value in local:
        return [HandedScheduler(handed.obj, expr, handed.interval)
                for handed in _handed(script, local[expr.value], function, local, interval, depth + 1)]
    if kind is cst.List or kind is cst.Tuple:
        return [handed for element in expr.elements
                for handed in _handed(script, element.value, function, local, interval, depth + 1)]
    if kind is cst.Dict:
        return _handed_by_config(script, expr, function, local, depth)
    objects = script.objects(expr, function)
    if objects:
        only = {(obj.qualname, id(obj.call)) for obj in objects}
        if len(only) == 1 and objects[0].kind is ObjKind.SCHEDULER:
            return [HandedScheduler(objects[0], expr, interval or "epoch")]
        return []
    configs = [bound for bound in script.values(expr, function)
               if bound.expr is not expr and type(bound.expr) in (cst.List, cst.Tuple, cst.Dict)]
    if len(configs) != 1:
        return []
    return _handed(script, configs[0].expr, configs[0].function, {}, interval, depth + 1)


def _handed_by_config(script: Script, config: cst.Dict, function: FunctionInfo, local: dict[str, cst.BaseExpression],
                      depth: int) -> list[HandedScheduler]:
    entries = {literal(element.key): element.value for element in config.elements if type(element) is cst.DictElement}
    if "scheduler" in entries:
        interval = literal(entries["interval"]) if "interval" in entries else "epoch"
        if interval not in ("epoch", "step"):
            return []
        return [HandedScheduler(handed.obj, config, interval)
                for handed in _handed(script, entries["scheduler"], function, local, interval, depth + 1)]
    if "lr_scheduler" in entries:
        return _handed(script, entries["lr_scheduler"], function, local, None, depth + 1)
    return []
