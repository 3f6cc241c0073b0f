"""Shared facts about the optimization step: backward calls, where gradients are zeroed, which
names hold loss tensors, which parameters an optimizer receives, and its learning rate.

Part of the shared analysis (with ``fitlint.analysis.script``, ``fitlint.analysis.data`` and ``fitlint.analysis.models``).
Every answer errs towards "unknown": a rule that asks "are gradients zeroed here?" gets True
whenever something in the region might zero them (a helper named like it, a closure passed to
``step``), so a rule reporting the absence stays silent on anything it cannot see.
"""

from __future__ import annotations

import math

import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import Callable, Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.models import models_of, named_like_model, only_models_of, unwrap_module
from fitlint.analysis.script import (
    Assignment, AugAssignment, Bound, CallSite, ClassInfo, FunctionInfo, ItemAssignment, LoopInfo, Obj, Script,
    call_arg, code_of, dotted, element_index, if_tests_holding, inputs_wanting_gradients, literal, literal_key, memoized,
    references,
)
from fitlint.analysis.catalog import ObjKind
from fitlint.words import words

MAX_DEPTH = 6
# Words that name a training routine (``train``, ``train_epoch``, ``fit``, ``finetune_model``).
TRAIN_WORDS = frozenset({"train", "training", "fit", "finetune"})

BACKWARD_METHODS = frozenset({"backward", "manual_backward"})
# Methods that zero gradients whatever their receiver (torch, Lightning, Paddle-style, helpers).
ZEROING_METHODS = frozenset({
    "zero_grad", "zero_grads", "zero_gradients", "clear_grad", "clear_grads", "clear_gradients",
    "reset_grad", "reset_grads", "reset_gradients", "zero_grad_",
})
# In-place resets of a tensor reached through a ``.grad`` attribute: ``p.grad.zero_()``.
GRAD_RESET_METHODS = frozenset({"zero_", "fill_", "mul_", "detach_"})
# Tensor methods whose result still carries the autograd graph of their receiver.
GRAPH_KEEPING_METHODS = frozenset({
    "mean", "sum", "cpu", "cuda", "to", "float", "double", "half", "clone", "squeeze", "unsqueeze",
    "view", "reshape", "contiguous", "abs", "mul", "add", "div",
})
NO_GRAD_CONTEXTS = frozenset({"no_grad", "inference_mode"})


# --------------------------------------------------------------------------------------------
# calls that compute, zero or consume gradients


def is_backward(script: Script, call: cst.Call) -> bool:
    """``loss.backward()``, ``scaler.scale(loss).backward()``, ``accelerator.backward(loss)``,
    Lightning's ``self.manual_backward(loss)``, ``torch.autograd.backward(loss)``."""
    func = call.func
    return type(func) is cst.Attribute and func.attr.value in BACKWARD_METHODS


def zeroes_directly(call: cst.Call) -> bool:
    """A call that zeroes gradients by itself, whatever its receiver."""
    func = call.func
    name = func.attr.value if type(func) is cst.Attribute else func.value if type(func) is cst.Name else ""
    lowered = name.lower()
    if name in ZEROING_METHODS or "zero_grad" in lowered or "reset_grad" in lowered or "clear_grad" in lowered:
        return True
    if name in GRAD_RESET_METHODS and type(func) is cst.Attribute and _reaches_grad(func.value):
        return True
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("set_to_none", "zero_grad") and literal(arg.value) is not False:
            return True
    return False


def _reaches_grad(expr: cst.BaseExpression) -> bool:
    """``p.grad``, ``p.grad.data``, ``params[i].grad``: an expression that reads a ``.grad``."""
    while type(expr) in (cst.Attribute, cst.Subscript):
        if type(expr) is cst.Attribute and expr.attr.value == "grad":
            return True
        expr = expr.value
    return False


def local_function(script: Script, name: str, scope: FunctionInfo) -> FunctionInfo | None:
    """The function named ``name`` defined in ``scope`` or a scope around it."""
    return script.visible_function(name, scope)


def targets(script: Script, site: CallSite) -> list[FunctionInfo]:
    """The local functions a call may run: its callee, and local functions passed as arguments
    (an LBFGS closure given to ``optimizer.step(closure)``)."""
    out = []
    callee = script.callee(site)
    if callee is not None:
        out.append(callee)
    for arg in site.node.args:
        if type(arg.value) is cst.Name:
            found = local_function(script, arg.value.value, site.function)
            if found is not None:
                out.append(found)
    return out


Act = CallSite | Assignment


class _Reach:
    """Where functions do something (zero gradients, call backward), directly or via the local
    functions they run: the calls and recorded assignments (``p.grad = None``) that do it.
    ``assigned`` lists the recorded assignments that count as doing it."""

    def __init__(self, script: Script, direct: Callable[[CallSite], bool], assigned: list[Assignment]) -> None:
        self.script = script
        self.direct = direct
        self.assigned = assigned
        self.memo: dict[int, tuple[Act, ...]] = {}

    def function(self, function: FunctionInfo, depth: int = 0) -> tuple[Act, ...]:
        key = id(function)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = ()  # recursion guard
        found = tuple(assignment for assignment in self.assigned if assignment.function.within(function))
        found += self.sites(function.calls, depth)
        self.memo[key] = found
        return found

    def sites(self, sites: list[CallSite] | Iterator[CallSite], depth: int = 0) -> tuple[Act, ...]:
        """What the calls do, looking into the local functions they run first: a local
        ``reset_grad()`` is the ``zero_grad()`` calls it makes, which say whose gradients it clears."""
        out: list[Act] = []
        for site in sites:
            inner: tuple[Act, ...] = ()
            if depth < MAX_DEPTH:
                for target in targets(self.script, site):
                    if target is not site.function:
                        inner += self.function(target, depth + 1)
            if inner:
                out += inner
            elif self.direct(site):
                out.append(site)
        return tuple(out)

    def loop(self, loop: LoopInfo) -> tuple[Act, ...]:
        assigned = tuple(assignment for assignment in self.assigned if loop.contains(assignment.loop))
        return assigned + self.sites(loop.all_calls())


@memoized
def _zeroing(script: Script) -> _Reach:
    grads = [assignment for assignment in script.assigns if assignment.target.endswith(".grad")]
    return _Reach(script, lambda site: zeroes_directly(site.node), grads)


@memoized
def _backward(script: Script) -> _Reach:
    return _Reach(script, lambda site: is_backward(script, site.node), [])


def loop_zeroes_gradients(script: Script, loop: LoopInfo, optimizer: StepTarget | None = None) -> bool:
    """Something in the loop (or a local function it runs) zeroes gradients; with ``optimizer``,
    something that may zero that optimizer's (see ``may_clear``)."""
    return _covers(script, _zeroing(script).loop(loop), optimizer)


def function_zeroes_gradients(script: Script, function: FunctionInfo, optimizer: StepTarget | None = None) -> bool:
    return _covers(script, _zeroing(script).function(function), optimizer)


def loop_zeroings(script: Script, loop: LoopInfo) -> list[Zeroing]:
    """Every place in the loop (or in a local function it runs) that zeroes gradients, with what
    it clears."""
    return [zeroing_of(script, act) for act in _zeroing(script).loop(loop)]


def _covers(script: Script, acts: tuple[Act, ...], optimizer: StepTarget | None) -> bool:
    if optimizer is None:
        return bool(acts)
    return any(may_clear(script, zeroing_of(script, act), optimizer) for act in acts)


def loop_calls_backward(script: Script, loop: LoopInfo) -> bool:
    return bool(_backward(script).loop(loop))


def function_calls_backward(script: Script, function: FunctionInfo) -> bool:
    return bool(_backward(script).function(function))


def site_zeroes_gradients(script: Script, site: CallSite) -> bool:
    return bool(_zeroing(script).sites([site]))


# --------------------------------------------------------------------------------------------
# gradient-free regions


def _is_no_grad_context(script: Script, call: cst.Call) -> bool:
    last = (script.qualname(call.func) or "").rsplit(".", 1)[-1]
    if last in NO_GRAD_CONTEXTS:
        return True
    return last == "set_grad_enabled" and literal(call_arg(call, 0, "mode")) is False


def function_is_no_grad(function: FunctionInfo | None) -> bool:
    """Decorated with ``@torch.no_grad()`` / ``@torch.inference_mode()`` (or inside one that is)."""
    return function is not None and any(
        names_no_grad(name) for scope in function.scopes() for name in scope.decorators
    )


def names_no_grad(decorator: str | None) -> bool:
    """A decorator named for switching gradients off: torch's ``no_grad`` / ``inference_mode``, or a
    project's wrapper of them (YOLOv5's ``@smart_inference_mode()``)."""
    last = (decorator or "").rsplit(".", 1)[-1]
    return any(word in last for word in NO_GRAD_CONTEXTS)


def site_under_no_grad(script: Script, site: CallSite | AugAssignment) -> bool:
    """The call (or ``total += ...``) runs without building a graph: a ``no_grad`` block or
    decorator around it, or every call of its function in this file is under one."""
    if any(_is_no_grad_context(script, call) for call in site.withs) or function_is_no_grad(site.function):
        return True
    callers = script.call_sites_of(site.function) if not site.function.is_module else []
    return bool(callers) and all(
        any(_is_no_grad_context(script, call) for call in caller.withs) or function_is_no_grad(caller.function)
        for caller in callers
    )


# --------------------------------------------------------------------------------------------
# loss tensors


@dataclass(frozen=True)
class LossTensor:
    """An expression that evaluates to a loss tensor with its autograd graph. ``call`` is the loss
    computation when known; ``backward`` is True when the name is ``.backward()``-ed in its function
    (proof that it carries a graph)."""

    call: cst.Call | None
    backward: bool


def is_loss_call(script: Script, call: cst.Call, function: FunctionInfo) -> bool:
    """``criterion(out, y)`` (bound to a torch loss), ``F.cross_entropy(...)``,
    ``nn.CrossEntropyLoss()(out, y)``."""
    func = call.func
    if type(func) is cst.Call:
        return script.is_imported(func.func) and catalog.kind_of(script.qualname(func.func) or "") is ObjKind.LOSS
    if script.is_imported(func) and catalog.kind_of(script.qualname(func) or "") is ObjKind.LOSS_FUNCTION:
        return True
    return any(obj.kind is ObjKind.LOSS for obj in script.objects(func, function))


def backwarded_names(script: Script, function: FunctionInfo) -> frozenset[str]:
    """Names ``x`` with ``x.backward()`` (or passed to ``accelerator.backward(x)``,
    ``scaler.scale(x).backward()``) in the function."""
    return _backwarded_names(script, function)


@memoized
def _backwarded_names(script: Script, function: FunctionInfo) -> frozenset[str]:
    names = set()
    for site in function.calls:
        if not is_backward(script, site.node):
            continue
        for expr in [site.receiver, *(arg.value for arg in site.node.args)]:
            names |= _names_in(expr)
    return frozenset(names)


def names_feeding_backward(script: Script, function: FunctionInfo) -> frozenset[str]:
    """Names (dotted) whose value flows into a backward call in the function, following
    assignments backwards: ``total = sum(losses); total.backward()`` gives {total, losses}."""
    return _feeding(script, function)


@memoized
def _feeding(script: Script, function: FunctionInfo) -> frozenset[str]:
    found = set(backwarded_names(script, function))
    changed = True
    while changed:
        changed = False
        for name, assignments in function.bindings.items():
            if name not in found:
                continue
            for assignment in assignments:
                new = _names_in(assignment.value) - found
                if new:
                    found |= new
                    changed = True
    return frozenset(found)


def binding_feeds_backward(script: Script, assignment: Assignment) -> bool:
    """Whether the value ``assignment`` binds reaches a backward pass of its function: read, before
    its name is bound again, by a backward call or by an assignment whose own value reaches one.
    ``y_pred = net(X_test)`` after the batch loop does not when the next training step binds
    ``y_pred = net(xb)`` afresh before its loss: the name feeds backward, this value never does;
    nor does ``preds = network(images); loss = loss_fn(preds, labels)`` in a notebook's
    before-training pass, whose ``loss`` is never backpropagated (the training cell's is)."""
    memo = script.memo.setdefault(binding_feeds_backward, {})
    if id(assignment) not in memo:
        memo[id(assignment)] = False  # while in progress: a value passed round a loop reaches nothing new
        memo[id(assignment)] = _feeds_backward(script, assignment)
    return memo[id(assignment)]


def _feeds_backward(script: Script, assignment: Assignment) -> bool:
    function, name = assignment.function, assignment.target
    if name not in names_feeding_backward(script, function):
        return False
    reads, binds = _feeding_reads(script, function).get(name, []), _binding_orders(script, function)[name]
    start = assignment.order
    after = bisect_right(binds, start)
    nxt = binds[after] if after < len(binds) else math.inf
    windows = [(start + 1, nxt)]
    loop = assignment.loop
    while loop is not None and nxt > loop.end_order:
        # the value outlives the loop body: the next iteration reads it up to the first binding
        windows.append((loop.order, binds[bisect_left(binds, loop.order)]))
        loop = loop.parent
    return any(reader is None or binding_feeds_backward(script, reader)
               for low, high in windows for reader in _reads_within(reads, low, high))


def _reads_within(reads: list[tuple[int, Assignment | None]], low: int, high: float) -> list[Assignment | None]:
    """The reads at an order in [low, high] (a read in the statement that binds the name again
    reads the old value): the assignment that reads, None for a backward call."""
    at = bisect_left(reads, low, key=lambda read: read[0])
    out = []
    while at < len(reads) and reads[at][0] <= high:
        out.append(reads[at][1])
        at += 1
    return out


@memoized
def _feeding_reads(script: Script, function: FunctionInfo) -> dict[str, list[tuple[int, Assignment | None]]]:
    """Per name feeding backward, the statements that pass its value on, sorted by order: backward
    calls (None), and assignments to names that feed backward (the assignment)."""
    feeding = names_feeding_backward(script, function)
    reads: dict[str, list[tuple[int, Assignment | None]]] = {}
    for assignments in function.bindings.values():
        for assignment in assignments:
            if assignment.target in feeding:
                for name in _names_in(assignment.value) & feeding:
                    reads.setdefault(name, []).append((assignment.order, assignment))
    for site in function.calls:
        if is_backward(script, site.node):
            for expr in [site.receiver, *(arg.value for arg in site.node.args)]:
                for name in _names_in(expr):
                    reads.setdefault(name, []).append((site.order, None))
    return {name: sorted(orders, key=lambda read: read[0]) for name, orders in reads.items()}


@memoized
def _binding_orders(script: Script, function: FunctionInfo) -> dict[str, list[int]]:
    """Per name, the sorted orders of its bindings in the function."""
    return {name: sorted(a.order for a in assignments) for name, assignments in function.bindings.items()}


def _names_in(expr: cst.CSTNode | None) -> set[str]:
    """Dotted names read and their roots: ``self.loss.item()`` gives self.loss.item, self."""
    names = set()
    for node in references(expr):
        name = dotted(node)
        names |= {name, name.split(".", 1)[0]}
    return names


def loss_tensor(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo, before: int,
                depth: int = 0) -> LossTensor | None:
    """Whether ``expr`` (read at traversal order ``before``) is a loss tensor still holding its graph."""
    if expr is None or depth > MAX_DEPTH:
        return None
    if type(expr) is cst.Call:
        func = expr.func
        if is_loss_call(script, expr, function):
            return LossTensor(expr, False)
        if type(func) is cst.Attribute and func.attr.value in GRAPH_KEEPING_METHODS:
            return loss_tensor(script, func.value, function, before, depth + 1)
        return _returned_loss(script, expr, function, depth)
    if type(expr) is cst.BinaryOperation:
        return (loss_tensor(script, expr.left, function, before, depth + 1)
                or loss_tensor(script, expr.right, function, before, depth + 1))
    if type(expr) is cst.UnaryOperation:
        return loss_tensor(script, expr.expression, function, before, depth + 1)
    element = element_index(expr)
    if element is not None and type(element[0]) is cst.Call:
        # `loss, hidden = train_step(...)` with `return loss, hidden`: that element of every return
        callee = script.local_factory(element[0], function)
        position = element[1]
        returns = callee.returns if callee is not None else []
        if returns and all(type(value) is cst.Tuple and -len(value.elements) <= position < len(value.elements)
                           for value in returns):
            found = [loss_tensor(script, value.elements[position].value, callee, math.inf, depth + 1) for value in returns]
            return found[0] if all(loss is not None for loss in found) else None
    name = dotted(expr)
    if name is None or type(expr) not in (cst.Name, cst.Attribute):
        return None
    binding = function.latest_binding(name, before)
    backwarded = name in backwarded_names(script, function)
    if binding is not None:
        found = loss_tensor(script, binding.value, function, binding.order, depth + 1)
        if found is not None:
            return LossTensor(found.call, found.backward or backwarded)
        if type(expr) is cst.Name and name in _loss_terms(script, function) and _computed_tensor(binding.value):
            return LossTensor(None, True)  # `loss = a + 0.05 * b; loss.backward()`, then `total_a += a`
        if _detaches(binding.value):
            return None
    elif type(expr) is cst.Attribute:
        # `self.cost = self.criterion(out, y)`: attributes are followed through their values
        for bound in script.values(expr, function):
            found = loss_tensor(script, bound.expr, bound.function, math.inf, depth + 1)
            if found is not None:
                return LossTensor(found.call, found.backward or backwarded)
    if backwarded and "loss" in name.rsplit(".", 1)[-1].lower():
        return LossTensor(None, True)
    return None


def _loss_terms(script: Script, function: FunctionInfo) -> frozenset[str]:
    """The names summed (or scaled) into a loss the function backpropagates: ``a`` and ``b`` of
    ``loss = (a + 0.05 * b)`` before ``loss.backward()``: each still holds its part of the graph."""
    memo = script.memo.setdefault(_loss_terms, {})
    if id(function) not in memo:
        terms: set[str] = set()
        for name in backwarded_names(script, function):
            for assignment in function.bindings.get(name, ()):
                terms.update(node.value for node in _operands(assignment.value)
                             if type(node) is cst.Name and node.value != name)
        memo[id(function)] = frozenset(terms)
    return memo[id(function)]


def _returned_loss(script: Script, call: cst.Call, function: FunctionInfo, depth: int) -> LossTensor | None:
    """A function (or method) of the file that returns a loss tensor: ``cost = model.train_model(x, y)``
    whose method ends ``return self.cost`` after ``self.cost.backward()``."""
    callee = script.local_factory(call, function)
    if callee is None or not callee.returns:
        return None
    found = [loss_tensor(script, value, callee, math.inf, depth + 1) for value in callee.returns]
    if any(loss is None for loss in found):
        return None  # some path returns something else (a float, a tuple of metrics)
    return found[0]


def _computed_tensor(expr: cst.BaseExpression) -> bool:
    """A value computed by calls that keep a graph (``torch.sum(...).mean() / 784``), not a
    number (``weight = 0.5``) or a detached one (``recon.item()``, ``float(kl)``)."""
    return any(type(node) is cst.Call and not _detaches(node) and dotted(node.func) not in ("len", "sum", "max", "min")
               for node in _operands(expr))


def _operands(expr: cst.BaseExpression) -> Iterator[cst.BaseExpression]:
    """The operands of an arithmetic expression, through every ``+ - * /`` and sign."""
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) is cst.BinaryOperation:
            stack += [node.left, node.right]
        elif type(node) is cst.UnaryOperation:
            stack.append(node.expression)
        else:
            yield node


def _detaches(expr: cst.BaseExpression) -> bool:
    """``loss.item()``, ``float(loss)``, ``loss.detach()``: no graph left. A subscript keeps it:
    ``loss = outputs[0]`` is how models that compute their own loss return it."""
    if type(expr) is not cst.Call:
        return type(expr) not in (cst.Name, cst.Attribute, cst.Subscript)
    func = expr.func
    if type(func) is cst.Name:
        return func.value in ("float", "int", "round")
    return type(func) is cst.Attribute and func.attr.value in ("item", "detach", "tolist", "numpy", "data")


# --------------------------------------------------------------------------------------------
# optimizers: construction, parameters, learning rate


def optimizers(script: Script) -> list[Obj]:
    """Every optimizer constructed in the file (imported torch/apex/transformers/... classes)."""
    return _optimizers(script)


@memoized
def _optimizers(script: Script) -> list[Obj]:
    out = []
    for site in script.calls:
        if not script.is_imported(site.node.func):
            continue
        qualname = script.qualname(site.node.func) or ""
        if catalog.kind_of(qualname) is ObjKind.OPTIMIZER:
            out.append(Obj(ObjKind.OPTIMIZER, qualname, site.node, site.function))
    return out


def trains_nothing(script: Script, obj: Obj) -> bool:
    """``obj`` only drives a learning-rate schedule: the file computes no gradient (no backward
    call, no ``torch.autograd.grad``), and the optimizer, bound to a plain name, goes to
    learning-rate schedulers and nowhere else but its own attributes (a dummy optimizer built to
    plot or test a schedule). Handed to anything else, stored on an object, returned (Lightning's
    ``configure_optimizers``) or never used at all (a snippet, training still to be written),
    it is taken as the one that trains: False."""
    if any(is_backward(script, site.node) or script.qualname(site.node.func) == "torch.autograd.grad"
           for site in script.calls):
        return False
    name = _plain_binding(script, obj)
    if name is None:
        return False
    handed = 0
    for site in script.calls:
        for arg in site.node.args:
            if any(found.call is obj.call for found in script.objects(arg.value, site.function)):
                if not (script.qualname(site.node.func) or "").startswith(catalog.SCHEDULER_PREFIX):
                    return False
                handed += 1
    # every bare read of the name is the binding itself or a scheduler's argument (a read through
    # an attribute, ``optimizer.step``, is one reference as a whole and never bare)
    bare = [node for node in references(script.module) if type(node) is cst.Name and node.value == name]
    return handed > 0 and len(bare) == 1 + handed


def _plain_binding(script: Script, obj: Obj) -> str | None:
    """``name`` when the optimizer's constructor is the whole value of ``name = optim.X(...)``."""
    site = script.site_of(obj.call)
    statement = site.statement if site is not None else None
    if type(statement) is not cst.SimpleStatementLine or len(statement.body) != 1:
        return None
    assign = statement.body[0]
    if type(assign) is not cst.Assign or assign.value is not obj.call or len(assign.targets) != 1:
        return None
    target = assign.targets[0].target
    return target.value if type(target) is cst.Name else None


def optimizer_params(obj: Obj) -> cst.BaseExpression | None:
    return call_arg(obj.call, 0, "params")


@dataclass(frozen=True)
class ParamSource:
    """``module.parameters()`` passed to an optimizer: the module expression and where it is."""

    module: cst.BaseExpression
    function: FunctionInfo

    @property
    def path(self) -> str:
        return code_of(self.module)


def param_sources(script: Script, obj: Obj, filtered: bool = False) -> list[ParamSource] | None:
    """The modules whose ``.parameters()`` the optimizer receives; None when any part of what it
    receives is not a plain ``module.parameters()`` (a list built by hand, a name bound to anything
    else, a filter: with ``filtered``, ``filter(fn, model.parameters())`` is ``model``'s, for a
    question about the modules an optimizer draws from rather than all of their parameters)."""
    return _sources(script, optimizer_params(obj), obj.function, 0, filtered)


def _sources(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo, depth: int,
             filtered: bool = False) -> list[ParamSource] | None:
    if expr is None or depth > MAX_DEPTH:
        return None
    if type(expr) is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value == "parameters" and not expr.args:
            return [ParamSource(func.value, function)]
        name = script.qualname(func) or ""
        if filtered and name == "filter" and len(expr.args) == 2:
            return _sources(script, expr.args[1].value, function, depth + 1, filtered)
        if name in ("list", "tuple", "itertools.chain") and expr.args:
            out: list[ParamSource] = []
            for arg in expr.args:
                if arg.star or arg.keyword is not None:
                    return None
                found = _sources(script, arg.value, function, depth + 1, filtered)
                if found is None:
                    return None
                out += found
            return out
        return None
    if type(expr) in (cst.ListComp, cst.GeneratorExp) and not expr.for_in.ifs and expr.for_in.inner_for_in is None \
            and type(expr.for_in.target) is cst.Name and type(expr.elt) is cst.Name \
            and expr.elt.value == expr.for_in.target.value:
        # `[p for p in model.parameters()]`: every parameter, as `model.parameters()` (with an
        # `if p.requires_grad` it is a filter)
        return _sources(script, expr.for_in.iter, function, depth + 1, filtered)
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add:
        left = _sources(script, expr.left, function, depth + 1, filtered)
        right = _sources(script, expr.right, function, depth + 1, filtered)
        return None if left is None or right is None else left + right
    if type(expr) in (cst.List, cst.Tuple):
        out = []
        for element in expr.elements:
            if type(element) is not cst.Element:
                return None
            value = element.value
            if type(value) is cst.Dict:
                value = _dict_value(value, "params")
            found = _sources(script, value, function, depth + 1, filtered)
            if found is None:
                return None
            out += found
        return out
    if type(expr) is cst.Name:
        bounds = script.values(expr, function)
        if len(bounds) != 1 or bounds[0].expr is expr:
            return None
        return _sources(script, bounds[0].expr, bounds[0].function, depth + 1, filtered)
    return None


# Tensor constructors whose result requires no gradient unless ``requires_grad=True`` is passed.
_TENSOR_FACTORIES = frozenset("torch." + name for name in (
    "zeros", "ones", "empty", "full", "rand", "randn", "randint", "arange", "linspace", "tensor",
    "Tensor", "FloatTensor", "zeros_like", "ones_like", "empty_like", "full_like", "rand_like", "randn_like",
))
# Methods that return the same tensor's data, its ``requires_grad`` unchanged.
_TENSOR_PASSTHROUGH = frozenset({"to", "cuda", "cpu", "float", "double", "half", "view", "reshape"})


def gradless_tensors(script: Script, obj: Obj) -> tuple[str, ...]:
    """The tensors an optimizer receives, when it receives a list of plain tensors only, each built
    by a tensor constructor without ``requires_grad=True`` (``init.normal_(torch.zeros(n, 100))``)
    and never switched on afterwards in the file (``z.requires_grad_()``, ``z.requires_grad =
    True``): the optimizer then holds nothing it can update. Empty when any part of what it
    receives is something else (parameters, ``nn.Parameter``, a value the analysis cannot follow)."""
    params = optimizer_params(obj)
    if type(params) not in (cst.List, cst.Tuple) or not params.elements:
        return ()
    site = script.site_of(obj.call)
    if site is None:
        return ()
    found = []
    for element in params.elements:
        value = element.value if type(element) is cst.Element else None
        if type(value) is cst.Name:
            # the binding live where the optimizer is built: a notebook may reuse the name earlier
            bounds = script.values_at(value, obj.function, site.order, site.loop)
            if len(bounds) != 1 or not _gradless(script, bounds[0].expr) or _grad_switched_on(script, value.value):
                return ()
        elif value is None or not _gradless(script, value):
            return ()
        found.append(code_of(value))
    return tuple(found)


def _gradless(script: Script, expr: cst.BaseExpression) -> bool:
    """``expr`` builds a new tensor that requires no gradient: a tensor constructor without
    ``requires_grad`` (or with a literal False), seen through ``torch.nn.init`` fills (which return
    the tensor they fill) and device or dtype moves."""
    for _ in range(MAX_DEPTH):
        if type(expr) is not cst.Call:
            return False
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value in _TENSOR_PASSTHROUGH and type(func.value) is cst.Call:
            expr = func.value
            continue
        name = script.qualname(func) or ""
        if name.startswith("torch.nn.init.") and expr.args:
            expr = expr.args[0].value
            continue
        if name not in _TENSOR_FACTORIES:
            return False
        flag = call_arg(expr, None, "requires_grad")
        return flag is None or literal(flag) is False
    return False


def _grad_switched_on(script: Script, name: str) -> bool:
    """Some function of the file makes ``name`` require a gradient (``name.requires_grad_()``)."""
    return any(name in inputs_wanting_gradients(function) for function in script.functions)


def stepped_after_backward(script: Script, obj: Obj) -> bool:
    """``obj`` is stepped in a loop that calls ``backward()``: the step is meant to apply gradients
    (a dummy optimizer stepped only to advance a learning-rate schedule is not)."""
    for site in script.calls_by_method.get("step", []):
        target = step_target(script, site)
        if target is not None and any(found.call is obj.call for found in target.optimizers):
            if site.loop is not None and loop_calls_backward(script, site.loop):
                return True
    return False


def _dict_value(node: cst.Dict, key: str) -> cst.BaseExpression | None:
    for element in node.elements:
        if type(element) is cst.DictElement and literal(element.key) == key:
            return element.value
    return None


# --------------------------------------------------------------------------------------------
# whose gradients a zeroing clears, and which optimizer a step steps


@dataclass(frozen=True)
class StepTarget:
    """The optimizer a step applies: every constructor it may be bound to, and the modules whose
    ``.parameters()`` those receive (None when any part of what they receive is not a plain
    ``module.parameters()``: then nothing proves a zeroing clears someone else's gradients)."""

    optimizers: tuple[Obj, ...]
    sources: tuple[ParamSource, ...] | None


@dataclass(frozen=True)
class Zeroing:
    """A place that zeroes gradients and whose: ``clears`` holds the optimizers
    (``opt_g.zero_grad()``) and modules (``netG.zero_grad()``, ``for p in netG.parameters():
    p.grad = None``) it clears; None when the analysis cannot tell (a helper from elsewhere, a
    loop over a list of optimizers, a ``.grad`` reached another way)."""

    node: cst.CSTNode
    clears: tuple[Obj | ParamSource, ...] | None


def stepped_optimizer_expr(script: Script, site: CallSite) -> cst.BaseExpression | None:
    """The optimizer a step call steps: ``optimizer`` in ``optimizer.step()``, the argument of
    ``scaler.step(optimizer)``."""
    receiver = site.receiver
    if receiver is None:
        return None
    kinds = {obj.kind for obj in script.objects(receiver, site.function)}
    last = (code_of(receiver).rsplit(".", 1)[-1]).lower()
    if ObjKind.GRAD_SCALER in kinds or (ObjKind.OPTIMIZER not in kinds and "scaler" in last):
        return site.arg(0, "optimizer")
    return receiver


def steps_unseen(script: Script, site: CallSite, optimizers: list[Obj]) -> bool:
    """The call hands one of ``optimizers`` to a training routine this file does not define
    (``train(model, epoch, optimizer, loader)`` imported from the project's own module): that
    routine steps it where the analysis cannot look."""
    if script.callee(site) is not None or not set(words(site.method)) & TRAIN_WORDS:
        return False
    handed = {id(obj.call) for arg in site.node.args for obj in script.objects(arg.value, site.function)
              if obj.kind is ObjKind.OPTIMIZER}
    return any(id(obj.call) in handed for obj in optimizers)


def step_target(script: Script, site: CallSite) -> StepTarget | None:
    """The optimizer ``site`` steps, when every value its expression may hold is an optimizer
    built in this file; None otherwise (a factory, ``for opt in optimizers: opt.step()``)."""
    expr = stepped_optimizer_expr(script, site)
    found = _only_optimizers(script, expr, site)
    if found is None:
        return None
    sources: list[ParamSource] | None = []
    for obj in found:
        more = param_sources(script, obj)
        sources = None if sources is None or not more else sources + more
    return StepTarget(tuple(found), None if sources is None else tuple(sources))


def _only_optimizers(script: Script, expr: cst.BaseExpression | None, site: CallSite) -> list[Obj] | None:
    if expr is None or _loop_target_root(expr, site.loop):
        return None
    bounds = script.values(expr, site.function)
    found = [obj for obj in script.objects(expr, site.function) if obj.kind is ObjKind.OPTIMIZER]
    return found if found and len(found) == len(bounds) else None


def _loop_target_root(expr: cst.BaseExpression, loop: LoopInfo | None) -> bool:
    """``opt`` in ``for opt in optimizers: opt.zero_grad()``: the loop rebinds it each time, to
    values the recorded bindings of the name do not show."""
    root = (dotted(expr) or "").split(".", 1)[0]
    while loop is not None:
        if loop.target is not None and root in {dotted(name) for name in references(loop.target)}:
            return True
        loop = loop.parent
    return False


def zeroing_of(script: Script, act: CallSite | Assignment) -> Zeroing:
    return _zeroing_of(script, act)


@memoized
def _zeroing_of(script: Script, act: CallSite | Assignment) -> Zeroing:
    if isinstance(act, Assignment):
        owner = _parameters_looped(act.target[:-len(".grad")], act.loop, act.function)
        return Zeroing(act.statement, None if owner is None else (owner,))
    func = act.node.func
    if type(func) is cst.Attribute and func.attr.value in GRAD_RESET_METHODS and _reaches_grad(func.value):
        owner = _parameters_looped(_grad_owner(func.value), act.loop, act.function)
        return Zeroing(act.node, None if owner is None else (owner,))
    receiver = act.receiver
    if receiver is None or _loop_target_root(receiver, act.loop):
        return Zeroing(act.node, None)
    optimizers = _only_optimizers(script, receiver, act)
    if optimizers is not None:
        return Zeroing(act.node, tuple(optimizers))
    return Zeroing(act.node, (ParamSource(receiver, act.function),))


def _grad_owner(expr: cst.BaseExpression) -> str | None:
    """``p`` in ``p.grad.data``."""
    while type(expr) is cst.Attribute:
        if expr.attr.value == "grad":
            return dotted(expr.value)
        expr = expr.value
    return None


def _parameters_looped(name: str | None, loop: LoopInfo | None, function: FunctionInfo) -> ParamSource | None:
    """The module whose ``.parameters()`` the loop around a ``p.grad`` reset walks with ``p``."""
    while loop is not None:
        iterated = loop.iter
        if (name is not None and type(loop.target) is cst.Name and loop.target.value == name
                and type(iterated) is cst.Call and type(iterated.func) is cst.Attribute
                and iterated.func.attr.value == "parameters" and not iterated.args):
            return ParamSource(iterated.func.value, function)
        loop = loop.parent
    return None


def may_clear(script: Script, zeroing: Zeroing, target: StepTarget) -> bool:
    """Whether the zeroing may clear gradients the step applies: False only when it is proven to
    clear other optimizers' or other modules' gradients, disjoint from the step's."""
    if zeroing.clears is None or target.sources is None:
        return True
    mine = {id(obj.call) for obj in target.optimizers}
    for item in zeroing.clears:
        if isinstance(item, Obj):
            if id(item.call) in mine:
                return True
            theirs = param_sources(script, item)
            if not theirs or not all(_disjoint(script, a, b) for a in theirs for b in target.sources):
                return True
        elif not all(_disjoint(script, item, b) for b in target.sources):
            return True
    return False


def _disjoint(script: Script, a: ParamSource, b: ParamSource) -> bool:
    """Two modules proven to hold no parameter in common: different model constructors, neither
    holding the other (``model`` and ``model.head`` share, so do a wrapper and what it wraps)."""
    left, right = a.path, b.path
    if left == right or left.startswith(right + ".") or right.startswith(left + "."):
        return False
    mine, theirs = _module_closure(script, a), _module_closure(script, b)
    return mine is not None and theirs is not None and not mine & theirs


def _module_closure(script: Script, source: ParamSource) -> frozenset[int] | None:
    """The constructor calls of the model a module expression is and of every model it may
    hold; None when the expression is not known to be a model built in this file, or when one of
    those models gets modules from outside its class (``model.fc = head``, ``add_module``)."""
    bounds = script.values(source.module, source.function)
    if bounds and all(type(b.expr) is cst.Call and script.qualname(b.expr.func) == "copy.deepcopy" for b in bounds):
        # `ema_model = copy.deepcopy(model)`: parameters of its own, none of the original's
        return frozenset(id(b.expr) for b in bounds)
    found = only_models_of(script, source.module, source.function)
    if found is None:
        return _instance_closure(script, source)
    out: set[int] = set()
    for obj in found:
        if not _model_contents(script, obj, out, 0):
            return None
    return frozenset(out)


def _instance_closure(script: Script, source: ParamSource) -> frozenset[int] | None:
    """For a module built by a class this file cannot see into (``G = Generator(nz)`` with
    ``from models import Generator``): its constructor calls, when every value the expression may
    hold is a call of a class (a capitalized name) given no module, and nothing adds modules to it
    afterwards. Each such call builds new parameters, so two of them share none; an argument that
    may hold a module (``Discriminator(G.features)``, a parameter nobody passes) may share one."""
    name = dotted(unwrap_module(script, source.module)) or ""
    if not name.startswith("self."):
        name = name.split(".", 1)[0]  # `G.net` is part of what `G` was built with
    elif name.count(".") > 1:
        name = ".".join(name.split(".", 2)[:2])
    if not name or name == "self" or _modules_added_to(script, name):
        return None
    owner, _, attr = name.partition(".")
    node = cst.Attribute(cst.Name(owner), cst.Name(attr)) if attr else cst.Name(owner)
    values = script.values(node, source.function)
    out: set[int] = set()
    for bound in values:
        call = unwrap_module(script, bound.expr)
        if type(call) is not cst.Call or not _names_a_class(call.func):
            return None
        if any(_may_hold_module(script, arg.value, bound.function) for arg in call.args):
            return None
        out.add(id(call))
    return frozenset(out) if out else None


def _names_a_class(func: cst.BaseExpression) -> bool:
    name = dotted(func)
    return name is not None and name.rsplit(".", 1)[-1][:1].isupper()


def _may_hold_module(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """A constructor argument that may be or hold a module: anything but literals and settings
    (``args.nz`` from ``parser.parse_args()``, a dict read from a YAML file): a model, a call
    whose result the analysis cannot see (``make_backbone(cfg)``), a parameter nobody passes."""
    for node in references(expr):
        name = dotted(node) or ""
        root = name.split(".", 1)[0]
        if not root:
            continue
        values = script.values(cst.Name(root), function)
        if root in _SETTINGS_NAMES and not named_like_model(name):
            # `Encoder(config.model_name, logger)` with config and logger passed from elsewhere (not
            # `config.backbone`: a module may travel in a config)
            values = [bound for bound in values if type(bound.expr) is not cst.Name]
        elif not values:
            return True
        for bound in values:
            kind = type(bound.expr)
            if kind is cst.Call:
                if not _settings_call(script, bound.expr):
                    return True
            elif kind not in (cst.Integer, cst.Float, cst.SimpleString, cst.Dict):
                return True
    return False


# Names that hold settings or a logger, never a module, when nothing in the file says what they hold.
_SETTINGS_NAMES = frozenset({
    "config", "cfg", "conf", "configs", "args", "hparams", "hyperparams", "settings", "options", "logger",
    "device", "devices", "gpu_ids",
})
# Calls whose result holds settings, never a module.
_SETTINGS_METHODS = frozenset({"parse_args", "parse_known_args"})
_SETTINGS_CALLS = frozenset({
    "dict", "int", "float", "str", "bool", "vars", "json.load", "json.loads", "yaml.safe_load", "yaml.load",
    "yaml.full_load", "omegaconf.OmegaConf.load", "omegaconf.OmegaConf.create", "easydict.EasyDict",
    "types.SimpleNamespace", "torch.device",
})


def _settings_call(script: Script, call: cst.Call) -> bool:
    func = call.func
    if type(func) is cst.Attribute and func.attr.value in _SETTINGS_METHODS:
        return True
    return (script.qualname(func) or "") in _SETTINGS_CALLS


def _modules_added_to(script: Script, name: str) -> bool:
    """``G.fc = head``, ``G.add_module("head", head)``: the instance gets modules from outside."""
    return any(
        assignment.target.startswith(name + ".") and assignment.target.rsplit(".", 1)[-1] not in _PLAIN_ATTRIBUTES
        for assignment in script.assigns
    ) or any(dotted(site.receiver) == name for method in ("add_module", "register_module")
             for site in script.calls_by_method.get(method, []))


def _model_contents(script: Script, obj: Obj, out: set[int], depth: int) -> bool:
    """Add the model's constructor call and those of the models it holds to ``out``; False when
    its contents cannot be bounded."""
    if id(obj.call) in out:
        return True
    if depth > MAX_DEPTH or id(obj.call) in _opened_models(script):
        return False
    out.add(id(obj.call))
    held = [Bound(arg.value, obj.function) for arg in obj.call.args]
    cls = script.classes.get(obj.qualname) if not script.is_imported(obj.call.func) else None
    if cls is not None:
        held += _class_holdings(script, cls, 0)
    for bound in held:
        for inner in _models_within(script, bound):
            if not _model_contents(script, inner, out, depth + 1):
                return False
    return True


# Calls that put a module into a model or a container of one.
_MODULE_ADDING = frozenset({"add_module", "register_module", "append", "extend", "insert", "update"})
# Attribute writes on a model that leave its modules as they are.
_PLAIN_ATTRIBUTES = frozenset({"requires_grad", "grad", "data", "training"})


def _class_holdings(script: Script, cls: ClassInfo, depth: int) -> list[Bound]:
    """What a model class of this file stores on ``self`` (attributes, modules added), its
    local bases included."""
    out = [Bound(assignment.value, assignment.function) for assignments in cls.attrs.values()
           for assignment in assignments]
    for method in cls.methods.values():
        for site in method.calls:
            if site.method in _MODULE_ADDING and (dotted(site.receiver) or "").startswith("self"):
                out += [Bound(arg.value, method) for arg in site.node.args]
    for base in cls.bases:
        parent = script.classes.get(base)
        if parent is not None and parent is not cls and depth < MAX_DEPTH:
            out += _class_holdings(script, parent, depth + 1)
    return out


def _models_within(script: Script, bound: Bound) -> list[Obj]:
    """The models an expression is or names anywhere inside it (``nn.Sequential(enc, dec)``,
    ``nn.ModuleList([G, D])``), and those a part is taken from (``Decoder(encoder.embedding)``
    shares the encoder's embedding). A model built inline there is a new object no other
    optimizer can have been given, so only the names matter besides the expression itself."""
    out = models_of(script, bound.expr, bound.function)
    for node in references(bound.expr):
        out += models_of(script, node, bound.function)
        root = (dotted(node) or "").split(".", 1)[0]
        if root and root != dotted(node):
            out += models_of(script, cst.Name(root), bound.function)
    return out


@memoized
def _opened_models(script: Script) -> frozenset[int]:
    """Models given modules from outside their class: ``model.fc = nn.Linear(...)``,
    ``net.add_module("head", head)``."""
    out: set[int] = set()
    for assignment in script.assigns:
        owner, _, attr = assignment.target.rpartition(".")
        if owner and not owner.startswith("self") and attr not in _PLAIN_ATTRIBUTES:
            out |= _model_ids(script, owner.split(".", 1)[0], assignment.function)
    for method in ("add_module", "register_module"):
        for site in script.calls_by_method.get(method, []):
            root = (dotted(site.receiver) or "").split(".", 1)[0]
            if root and root != "self":
                out |= _model_ids(script, root, site.function)
    return frozenset(out)


def _model_ids(script: Script, name: str, function: FunctionInfo) -> set[int]:
    return {id(obj.call) for obj in models_of(script, cst.Name(name), function)}


def param_groups(expr: cst.BaseExpression | None) -> list[cst.Dict]:
    """The literal dicts of a ``[{'params': ..., 'lr': ...}, ...]`` argument."""
    if type(expr) not in (cst.List, cst.Tuple):
        return []
    return [element.value for element in expr.elements
            if type(element) is cst.Element and type(element.value) is cst.Dict]


def group_value(group: cst.Dict, key: str) -> cst.BaseExpression | None:
    return _dict_value(group, key)



@dataclass(frozen=True)
class Number:
    """A literal number an expression resolves to, and the literal node (the line to change)."""

    value: float
    node: cst.BaseExpression
    via: str  # 'literal', 'name' or 'argparse'


def number(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> Number | None:
    """The literal number ``expr`` holds when every binding agrees: names followed to literals,
    ``args.lr`` to the ``default=`` of ``parser.add_argument('--lr', ...)``."""
    if expr is None:
        return None
    found: list[Number] = []
    if (type(expr) is cst.Name and function.param_default(expr.value) is not None
            and not script.call_sites_of(function)):
        return None  # a helper's default (`def make_adam(model, lr=0.1)`) that no call in view relies on
    for bound in script.values(expr, function):
        value = literal(bound.expr)
        if isinstance(value, int | float) and not isinstance(value, bool):
            via = "literal" if bound.expr is expr else "name"
            found.append(Number(float(value), bound.expr, via))
            continue
        default = argparse_default(script, bound)
        if default is None:
            return None
        found.append(default)
    if not found or len({item.value for item in found}) != 1:
        return None
    return found[0]


def argparse_default(script: Script, bound: Bound) -> Number | None:
    """``args.lr`` where ``args = parser.parse_args()``: the literal ``default=`` of the one
    ``add_argument`` whose destination is ``lr``."""
    declaration = script.option_declaration(bound.expr, bound.function)
    if declaration is None:
        return None
    node = call_arg(declaration, None, "default")
    value = literal(node)
    if node is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return Number(float(value), node, "argparse")


def opt_in_flag(script: Script, site: CallSite) -> str | None:
    """The command-line option, off by default, that the call runs only behind: ``if
    args.use_optimizer:`` with a ``store_true`` flag, ``if args.optim == "adamw":`` with another
    default. A value given to the call is then not what the script's default path uses."""
    for test in if_tests_holding(site):
        flag = _opt_in_test(script, test, site.function)
        if flag is not None:
            return flag
    return None


def _opt_in_test(script: Script, test: cst.BaseExpression, function: FunctionInfo) -> str | None:
    if type(test) is cst.Comparison and len(test.comparisons) == 1 and isinstance(
            test.comparisons[0].operator, cst.Equal):
        option, wanted = test.left, literal(test.comparisons[0].comparator)
    else:
        option, wanted = test, True
    call = script.option_declaration(option, function) if wanted is not ... else None
    if call is None:
        return None
    action = literal(call_arg(call, None, "action"))
    default = call_arg(call, None, "default")
    value = literal(default) if default is not None else (False if action == "store_true" else None)
    if value is ... or value == wanted:
        return None
    return code_of(test)


# rates set by something else ----------------------------------------------------------------
_GROUP_LR = re.compile(r"""\[\s*['"]lr['"]\s*\]\s*(=|\*=|/=)(?!=)""")
# Words of a test that holds a checkpoint restore for resumed runs only (`if args.resume:`).
_RESUMING = frozenset({"resume", "resuming"})
# Schedulers that overwrite the optimizer's lr with their own (max_lr / div_factor, base_lr).
_OVERRIDING_SCHEDULERS = frozenset({"OneCycleLR", "CyclicLR"})
# What searches the rate (a learning-rate range test): the optimizer's own rate is only the start.
_RATE_FINDER = re.compile(r"lr_?finder|range_?test|find_?lr", re.IGNORECASE)


def rate_set_elsewhere(script: Script) -> set[int]:
    """The optimizers (their constructor calls' ids) whose literal rate is not the rate they train
    with: a OneCycleLR / CyclicLR overwrites it, a rate range test grows it from there (an
    ``LRFinder``, an ExponentialLR with ``gamma > 1``), ``load_state_dict`` restores another from a
    checkpoint (unless only for resumed runs: ``if args.resume:``); every optimizer when the script
    writes ``param_group["lr"]`` by hand, but as a multiple of that optimizer's own rate (see
    ``rate_scaled_by_hand``)."""
    return _rate_set_elsewhere(script)


def rate_scaled_by_hand(script: Script) -> set[int]:
    """The optimizers (their constructor calls' ids) whose rate the script writes by hand only as a
    multiple of their own starting rate (a step decay: ``param_group['lr'] = args.lr * 0.1 ** (epoch
    // 30)``): the constructor's rate is the one the first epochs train at, and the highest. A
    multiple may also be a warm-up up from it, so that rate is no evidence of a rate too low."""
    return _rate_scaled_by_hand(script)


@memoized
def _rate_scaled_by_hand(script: Script) -> set[int]:
    if _GROUP_LR.search(script.source) is None:
        return set()
    writes = _rate_writes(script)
    return {id(obj.call) for obj in optimizers(script) if all(_scales_own_rate(script, obj, write) for write in writes)}


@memoized
def _rate_set_elsewhere(script: Script) -> set[int]:
    out = set()
    if _GROUP_LR.search(script.source) is not None:
        scaled = rate_scaled_by_hand(script)
        out = {id(obj.call) for obj in optimizers(script) if id(obj.call) not in scaled}
        if not scaled:
            return out  # every optimizer's rate is written by hand: nothing else to look for
    for site in script.calls:
        for obj in _optimizers_driven_by(script, site):
            out.add(id(obj.call))
    return out


def _optimizers_driven_by(script: Script, site: CallSite) -> list[Obj]:
    if site.method == "load_state_dict" and site.receiver is not None:
        if "resum" in script.lowered and any(_RESUMING & set(words(code_of(test))) for test in if_tests_holding(site)):
            return []  # `if args.resume:` restores a rate for resumed runs; a fresh run starts at the literal
        return [obj for obj in script.objects(site.receiver, site.function) if obj.kind is ObjKind.OPTIMIZER]
    qualname = script.qualname(site.node.func) or ""
    last = qualname.rsplit(".", 1)[-1]
    imported = script.is_imported(site.node.func)
    growing = last == "ExponentialLR" and (script.number_of(call_arg(site.node, 1, "gamma"), site.function) or 0) > 1
    if imported and (last in _OVERRIDING_SCHEDULERS or growing):
        return script.objects(call_arg(site.node, 0, "optimizer"), site.function)
    if imported and last == "LambdaLR":
        # `Adam(params, lr=1.0)` under `LambdaLR(opt, noam)`: the lambda is the rate itself (the
        # Transformer's warm-up schedule, d_model ** -0.5 * min(...)); 1 is only its unit
        return [obj for obj in script.objects(call_arg(site.node, 0, "optimizer"), site.function)
                if obj.kind is ObjKind.OPTIMIZER
                and script.number_of(call_arg(obj.call, 1, "lr"), obj.function) == 1.0]
    if _RATE_FINDER.search(site.name or last or ""):
        return [obj for arg in site.node.args for obj in script.objects(arg.value, site.function)
                if obj.kind is ObjKind.OPTIMIZER]
    return []


def _rate_writes(script: Script) -> list[ItemAssignment | AugAssignment]:
    """The writes of an ``['lr']`` entry (``param_group['lr'] = lr``, ``state['lr'] *= gamma``)."""
    items: list[ItemAssignment | AugAssignment] = [
        item for item in script.item_assigns if literal_key(item.target) == "lr"]
    return items + [aug for aug in script.aug_assigns
                    if type(aug.target) is cst.Subscript and literal_key(aug.target) == "lr"]


def _scales_own_rate(script: Script, obj: Obj, write: ItemAssignment | AugAssignment) -> bool:
    """A hand-written rate that only scales the optimizer's own starting rate: the step decays of
    0.x-era scripts (``param_group['lr'] *= 0.1``, ``param_group['lr'] = args.lr * 0.1 ** (epoch //
    30)``, ``state['lr'] *= gamma`` then ``param_group['lr'] = state['lr']``), under which the first
    epochs still train at the constructor's rate."""
    if type(write) is AugAssignment:
        return type(write.operator) in (cst.MultiplyAssign, cst.DivideAssign)
    rate = call_arg(obj.call, 1, "lr")
    if rate is None:
        return False
    values = [write.value]
    if type(write.value) is cst.Name:
        values = [bound.expr for bound in script.values(write.value, write.function)] or values
    return all(_scaled_from(script, value, rate) for value in values)


def _scaled_from(script: Script, value: cst.BaseExpression, rate: cst.BaseExpression) -> bool:
    own = code_of(rate)
    if code_of(value) == own:
        return _only_scaled(script, value)
    if type(value) is cst.Subscript and literal_key(value) == (dotted(rate) or "").rsplit(".", 1)[-1]:
        return _only_scaled(script, value)  # `state['lr']` seeded from `args.lr` (bearpaw's `state`)
    return (type(value) is cst.BinaryOperation and type(value.operator) in (cst.Multiply, cst.Divide)
            and any(code_of(ref) == own for ref in references(value)))


def _only_scaled(script: Script, entry: cst.BaseExpression) -> bool:
    """Nothing but ``*=`` / ``/=`` writes the entry (``state['lr']``) in the file."""
    if type(entry) is not cst.Subscript:
        return True
    text = code_of(entry)
    return (not any(code_of(item.target) == text for item in script.item_assigns)
            and all(type(aug.operator) in (cst.MultiplyAssign, cst.DivideAssign)
                    for aug in script.aug_assigns if code_of(aug.target) == text))
