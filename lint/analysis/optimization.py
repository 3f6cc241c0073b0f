"""Shared facts about the optimization step: backward calls, where gradients are zeroed, which
names hold loss tensors, which parameters an optimizer receives, and its learning rate.

Part of the shared analysis (with ``fitlint.analysis.script``, ``fitlint.analysis.data`` and ``fitlint.analysis.models``).
Every answer errs towards "unknown": a rule that asks "are gradients zeroed here?" gets True
whenever something in the region might zero them (a helper named like it, a closure passed to
``step``), so a rule reporting the absence stays silent on anything it cannot see.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable, Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.script import (
    Assignment, Bound, CallSite, FunctionInfo, LoopInfo, Obj, Script, call_arg, code_of, dotted, literal,
    memoized, paths_to, references, walk,
)
from fitlint.analysis.catalog import ObjKind

MAX_DEPTH = 6

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
    return isinstance(func, cst.Attribute) and func.attr.value in BACKWARD_METHODS


def zeroes_directly(call: cst.Call) -> bool:
    """A call that zeroes gradients by itself, whatever its receiver."""
    func = call.func
    name = func.attr.value if isinstance(func, cst.Attribute) else func.value if isinstance(func, cst.Name) else ""
    lowered = name.lower()
    if name in ZEROING_METHODS or "zero_grad" in lowered or "reset_grad" in lowered or "clear_grad" in lowered:
        return True
    if name in GRAD_RESET_METHODS and isinstance(func, cst.Attribute) and _reaches_grad(func.value):
        return True
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value in ("set_to_none", "zero_grad") and literal(arg.value) is not False:
            return True
    return False


def _reaches_grad(expr: cst.BaseExpression) -> bool:
    """``p.grad``, ``p.grad.data``, ``params[i].grad``: an expression that reads a ``.grad``."""
    while isinstance(expr, cst.Attribute | cst.Subscript):
        if isinstance(expr, cst.Attribute) and expr.attr.value == "grad":
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
        if isinstance(arg.value, cst.Name):
            found = local_function(script, arg.value.value, site.function)
            if found is not None:
                out.append(found)
    return out


class _Reach:
    """Which functions do something (zero gradients, call backward) directly or via local calls.
    ``assigned`` lists the recorded assignments that count as doing it (``p.grad = None``)."""

    def __init__(self, script: Script, direct: Callable[[CallSite], bool], assigned: list[Assignment]) -> None:
        self.script = script
        self.direct = direct
        self.assigned = assigned
        self.memo: dict[int, bool] = {}

    def function(self, function: FunctionInfo, depth: int = 0) -> bool:
        key = id(function)
        if key in self.memo:
            return self.memo[key]
        self.memo[key] = False  # recursion guard
        found = any(_inside(assignment.function, function) for assignment in self.assigned)
        found = found or self.sites(function.calls, depth)
        self.memo[key] = found
        return found

    def sites(self, sites: list[CallSite] | Iterator[CallSite], depth: int = 0) -> bool:
        for site in sites:
            if self.direct(site):
                return True
            if depth < MAX_DEPTH:
                for target in targets(self.script, site):
                    if target is not site.function and self.function(target, depth + 1):
                        return True
        return False

    def loop(self, loop: LoopInfo) -> bool:
        return any(loop.contains(assignment.loop) for assignment in self.assigned) or self.sites(loop.all_calls())


def _inside(function: FunctionInfo, outer: FunctionInfo) -> bool:
    return function.within(outer)


@memoized
def _zeroing(script: Script) -> _Reach:
    grads = [assignment for assignment in script.assigns if assignment.target.endswith(".grad")]
    return _Reach(script, lambda site: zeroes_directly(site.node), grads)


@memoized
def _backward(script: Script) -> _Reach:
    return _Reach(script, lambda site: is_backward(script, site.node), [])


def loop_zeroes_gradients(script: Script, loop: LoopInfo) -> bool:
    """Something in the loop (or a local function it runs) zeroes gradients."""
    return _zeroing(script).loop(loop)


def function_zeroes_gradients(script: Script, function: FunctionInfo) -> bool:
    return _zeroing(script).function(function)


def loop_calls_backward(script: Script, loop: LoopInfo) -> bool:
    return _backward(script).loop(loop)


def function_calls_backward(script: Script, function: FunctionInfo) -> bool:
    return _backward(script).function(function)


def site_zeroes_gradients(script: Script, site: CallSite) -> bool:
    return _zeroing(script).sites([site])


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
        name.rsplit(".", 1)[-1] in NO_GRAD_CONTEXTS for scope in function.scopes() for name in scope.decorators
    )


def site_under_no_grad(script: Script, site: CallSite) -> bool:
    """The call runs without building a graph: a ``no_grad`` block or decorator around it, or
    every call of its function in this file is under one."""
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
    if isinstance(func, cst.Call):
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
    if isinstance(expr, cst.Call):
        func = expr.func
        if is_loss_call(script, expr, function):
            return LossTensor(expr, False)
        if isinstance(func, cst.Attribute) and func.attr.value in GRAPH_KEEPING_METHODS:
            return loss_tensor(script, func.value, function, before, depth + 1)
        return None
    if isinstance(expr, cst.BinaryOperation):
        return (loss_tensor(script, expr.left, function, before, depth + 1)
                or loss_tensor(script, expr.right, function, before, depth + 1))
    if isinstance(expr, cst.UnaryOperation):
        return loss_tensor(script, expr.expression, function, before, depth + 1)
    name = dotted(expr)
    if name is None or not isinstance(expr, cst.Name | cst.Attribute):
        return None
    binding = function.latest_binding(name, before)
    backwarded = name in backwarded_names(script, function)
    if binding is not None:
        found = loss_tensor(script, binding.value, function, binding.order, depth + 1)
        if found is not None:
            return LossTensor(found.call, found.backward or backwarded)
        if _detaches(binding.value):
            return None
    if backwarded and "loss" in name.rsplit(".", 1)[-1].lower():
        return LossTensor(None, True)
    return None


def _detaches(expr: cst.BaseExpression) -> bool:
    """``loss.item()``, ``float(loss)``, ``loss.detach()``: no graph left."""
    if not isinstance(expr, cst.Call):
        return not isinstance(expr, cst.Name | cst.Attribute)
    func = expr.func
    if isinstance(func, cst.Name):
        return func.value in ("float", "int", "round")
    return isinstance(func, cst.Attribute) and func.attr.value in ("item", "detach", "tolist", "numpy", "data")


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


def param_sources(script: Script, obj: Obj) -> list[ParamSource] | None:
    """The modules whose ``.parameters()`` the optimizer receives; None when any part of what it
    receives is not a plain ``module.parameters()`` (a filter, a list built by hand, a name)."""
    return _sources(script, optimizer_params(obj), obj.function, 0)


def _sources(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo, depth: int) -> list[ParamSource] | None:
    if expr is None or depth > MAX_DEPTH:
        return None
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value == "parameters" and not expr.args:
            return [ParamSource(func.value, function)]
        name = script.qualname(func) or ""
        if name in ("list", "tuple", "itertools.chain") and expr.args:
            out: list[ParamSource] = []
            for arg in expr.args:
                if arg.star or arg.keyword is not None:
                    return None
                found = _sources(script, arg.value, function, depth + 1)
                if found is None:
                    return None
                out += found
            return out
        return None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Add):
        left = _sources(script, expr.left, function, depth + 1)
        right = _sources(script, expr.right, function, depth + 1)
        return None if left is None or right is None else left + right
    if isinstance(expr, cst.List | cst.Tuple):
        out = []
        for element in expr.elements:
            if not isinstance(element, cst.Element):
                return None
            value = element.value
            if isinstance(value, cst.Dict):
                value = _dict_value(value, "params")
            found = _sources(script, value, function, depth + 1)
            if found is None:
                return None
            out += found
        return out
    if isinstance(expr, cst.Name):
        bounds = script.values(expr, function)
        if len(bounds) != 1 or bounds[0].expr is expr:
            return None
        return _sources(script, bounds[0].expr, bounds[0].function, depth + 1)
    return None


def _dict_value(node: cst.Dict, key: str) -> cst.BaseExpression | None:
    for element in node.elements:
        if isinstance(element, cst.DictElement) and literal(element.key) == key:
            return element.value
    return None


def param_groups(expr: cst.BaseExpression | None) -> list[cst.Dict]:
    """The literal dicts of a ``[{'params': ..., 'lr': ...}, ...]`` argument."""
    if not isinstance(expr, cst.List | cst.Tuple):
        return []
    return [element.value for element in expr.elements
            if isinstance(element, cst.Element) and isinstance(element.value, cst.Dict)]


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
    expr = bound.expr
    if not (isinstance(expr, cst.Attribute) and isinstance(expr.value, cst.Name)):
        return None
    parsed = script.values(expr.value, bound.function)
    if not parsed or not all(_is_parse_args(item.expr) for item in parsed):
        return None
    defaults = [site for site in script.calls_by_method.get("add_argument", []) if _dest(site.node) == expr.attr.value]
    if len(defaults) != 1:
        return None
    node = call_arg(defaults[0].node, None, "default")
    value = literal(node)
    if node is None or not isinstance(value, int | float) or isinstance(value, bool):
        return None
    return Number(float(value), node, "argparse")


def opt_in_flag(script: Script, site: CallSite) -> str | None:
    """The command-line option, off by default, that the call runs only behind: ``if
    args.use_optimizer:`` with a ``store_true`` flag, ``if args.optim == "adamw":`` with another
    default. A value given to the call is then not what the script's default path uses."""
    path = paths_to(site.function.node, {id(site.statement)}, statements_only=True).get(id(site.statement), [])
    for node, inner in zip(path, path[1:]):
        if isinstance(node, cst.If) and inner is node.body:
            flag = _opt_in_test(script, node.test, site.function)
            if flag is not None:
                return flag
    return None


def _opt_in_test(script: Script, test: cst.BaseExpression, function: FunctionInfo) -> str | None:
    if isinstance(test, cst.Comparison) and len(test.comparisons) == 1 and isinstance(
            test.comparisons[0].operator, cst.Equal):
        option, wanted = test.left, literal(test.comparisons[0].comparator)
    else:
        option, wanted = test, True
    if wanted is ... or not isinstance(option, cst.Attribute) or not isinstance(option.value, cst.Name):
        return None
    parsed = script.values(option.value, function)
    if not parsed or not all(_is_parse_args(item.expr) for item in parsed):
        return None
    declared = [site for site in script.calls_by_method.get("add_argument", []) if _dest(site.node) == option.attr.value]
    if len(declared) != 1:
        return None
    call = declared[0].node
    action = literal(call_arg(call, None, "action"))
    default = call_arg(call, None, "default")
    value = literal(default) if default is not None else (False if action == "store_true" else None)
    if value is ... or value == wanted:
        return None
    return code_of(test)


# rates set by something else ----------------------------------------------------------------
_GROUP_LR = re.compile(r"""\[\s*['"]lr['"]\s*\]\s*(=|\*=|/=)(?!=)""")
# Schedulers that overwrite the optimizer's lr with their own (max_lr / div_factor, base_lr).
_OVERRIDING_SCHEDULERS = frozenset({"OneCycleLR", "CyclicLR"})
# What searches the rate (a learning-rate range test): the optimizer's own rate is only the start.
_RATE_FINDER = re.compile(r"lr_?finder|range_?test|find_?lr", re.IGNORECASE)


def rate_set_elsewhere(script: Script) -> set[int]:
    """The optimizers (their constructor calls' ids) whose literal rate is not the rate they train
    with: a OneCycleLR / CyclicLR overwrites it, a rate range test grows it from there (an
    ``LRFinder``, an ExponentialLR with ``gamma > 1``), ``load_state_dict`` restores another from a
    checkpoint; every optimizer when the script writes ``param_group["lr"]`` by hand."""
    return _rate_set_elsewhere(script)


@memoized
def _rate_set_elsewhere(script: Script) -> set[int]:
    if _GROUP_LR.search(script.source) is not None:
        return {id(obj.call) for obj in optimizers(script)}
    out = set()
    for site in script.calls:
        for obj in _optimizers_driven_by(script, site):
            out.add(id(obj.call))
    return out


def _optimizers_driven_by(script: Script, site: CallSite) -> list[Obj]:
    if site.method == "load_state_dict" and site.receiver is not None:
        return [obj for obj in script.objects(site.receiver, site.function) if obj.kind is ObjKind.OPTIMIZER]
    qualname = script.qualname(site.node.func) or ""
    last = qualname.rsplit(".", 1)[-1]
    imported = script.is_imported(site.node.func)
    growing = last == "ExponentialLR" and (script.number_of(call_arg(site.node, 1, "gamma"), site.function) or 0) > 1
    if imported and (last in _OVERRIDING_SCHEDULERS or growing):
        return script.objects(call_arg(site.node, 0, "optimizer"), site.function)
    if _RATE_FINDER.search(site.name or last or ""):
        return [obj for arg in site.node.args for obj in script.objects(arg.value, site.function)
                if obj.kind is ObjKind.OPTIMIZER]
    return []


def _is_parse_args(expr: cst.BaseExpression) -> bool:
    return (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Attribute)
            and expr.func.attr.value == "parse_args")


def _dest(call: cst.Call) -> str | None:
    dest = literal(call_arg(call, None, "dest"))
    if isinstance(dest, str):
        return dest
    options = [literal(arg.value) for arg in call.args if arg.keyword is None]
    options = [option for option in options if isinstance(option, str)]
    long = [option for option in options if option.startswith("--")]
    chosen = long[0] if long else options[0] if options else None
    if chosen is None:
        return None
    return chosen.lstrip("-").replace("-", "_")
