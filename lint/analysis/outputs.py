"""Shared facts about a model's output: what its forward returns, and what that output is fed to.

Rules about the output layer and the loss (activation before softmax, double softmax, a loss that
expects logits or log-probabilities) ask the same two questions: which ops sit between the last
learned layer and the loss, and which loss is it. This module answers both by tracing backwards:

- ``model_chains(script, obj)`` / ``class_chains(script, cls)``: what a model returns, as
  ``Chain``s of output ops (softmax, log_softmax, sigmoid, relu, ...), outermost first, ending at
  a learned layer ('layer') or at something the analysis cannot see into ('unknown').
- ``chains_of(script, expr, function, statement)``: the same for any expression (a loss's
  prediction argument): through local assignments (flow-aware: the assignments that reach the use),
  shape-only ops (``view``, ``squeeze``, dropout), call-site activations, and into the model called.
- ``loss_feeds(script)``: every loss call (``criterion(out, y)``, ``F.cross_entropy``) with the
  loss's kind and the chains of its prediction argument.
- ``softmax_sites(script)``: every softmax / log_softmax applied in the file, with the chains of
  its input.

Trust bindings, not names: ``self.softmax(x)`` is whatever ``self.softmax`` was bound to
(``nn.LogSoftmax`` included). Anything unresolved ends a chain as 'unknown', with no ops invented.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache, partial

import libcst as cst

from fitlint.analysis.data import names_bound_to
from fitlint.analysis.models import added_modules, models_of
from fitlint.analysis.script import (
    Bound, CallSite, ClassInfo, FunctionInfo, Obj, Script, call_arg, dotted, element_index, literal, memoized, per_value,
    statement_places,
)

# The distinct chains kept per expression: each branch that may reassign a value can double them.
MAX_CHAINS = 256
# How many traces may be under way inside one another (through assignments, calls, models inside
# models); deeper is 'unknown', well before Python's recursion limit.
MAX_TRACE_DEPTH = 32

# Output ops, by kind. 'relu' covers ReLU6 (bounded below by 0 too).
RELU, SIGMOID, SOFTMAX, LOG_SOFTMAX, LOG, TANH, OTHER = (
    "relu", "sigmoid", "softmax", "log_softmax", "log", "tanh", "other_activation")

FUNCTION_OPS = {
    "torch.relu": RELU,
    "torch.relu_": RELU,
    "torch.nn.functional.relu": RELU,
    "torch.nn.functional.relu_": RELU,
    "torch.nn.functional.relu6": RELU,
    "torch.sigmoid": SIGMOID,
    "torch.nn.functional.sigmoid": SIGMOID,
    "torch.special.expit": SIGMOID,
    "torch.softmax": SOFTMAX,
    "torch.nn.functional.softmax": SOFTMAX,
    "torch.special.softmax": SOFTMAX,
    "torch.log_softmax": LOG_SOFTMAX,
    "torch.nn.functional.log_softmax": LOG_SOFTMAX,
    "torch.special.log_softmax": LOG_SOFTMAX,
    "torch.log": LOG,
    "torch.tanh": TANH,
    "torch.nn.functional.tanh": TANH,
    "torch.nn.functional.leaky_relu": OTHER,
    "torch.nn.functional.gelu": OTHER,
    "torch.nn.functional.elu": OTHER,
    "torch.nn.functional.selu": OTHER,
    "torch.nn.functional.silu": OTHER,
    "torch.nn.functional.softplus": OTHER,
    "torch.nn.functional.hardtanh": OTHER,
}
METHOD_OPS = {
    "relu": RELU,
    "relu_": RELU,
    "sigmoid": SIGMOID,
    "sigmoid_": SIGMOID,
    "softmax": SOFTMAX,
    "log_softmax": LOG_SOFTMAX,
    "log": LOG,
    "tanh": TANH,
}
MODULE_OPS = {
    "torch.nn.ReLU": RELU,
    "torch.nn.ReLU6": RELU,
    "torch.nn.Sigmoid": SIGMOID,
    "torch.nn.Softmax": SOFTMAX,
    "torch.nn.Softmax2d": SOFTMAX,
    "torch.nn.LogSoftmax": LOG_SOFTMAX,
    "torch.nn.Tanh": TANH,
    "torch.nn.LeakyReLU": OTHER,
    "torch.nn.PReLU": OTHER,
    "torch.nn.ELU": OTHER,
    "torch.nn.SELU": OTHER,
    "torch.nn.GELU": OTHER,
    "torch.nn.SiLU": OTHER,
    "torch.nn.Softplus": OTHER,
    "torch.nn.Hardtanh": OTHER,
    "torch.nn.Mish": OTHER,
}
# Layers that change neither the sign nor the scale class of their input (dropout keeps x >= 0).
PASSTHROUGH_MODULES = frozenset({
    "torch.nn.Dropout",
    "torch.nn.Dropout1d",
    "torch.nn.Dropout2d",
    "torch.nn.Dropout3d",
    "torch.nn.AlphaDropout",
    "torch.nn.Identity",
    "torch.nn.Flatten",
    "torch.nn.Unflatten",
})
PASSTHROUGH_FUNCTIONS = frozenset({
    "torch.flatten",
    "torch.squeeze",
    "torch.unsqueeze",
    "torch.reshape",
    "torch.nn.functional.dropout",
})
PASSTHROUGH_METHODS = frozenset({
    "view", "reshape", "squeeze", "unsqueeze", "flatten", "contiguous", "float", "double", "half",
    "to", "cuda", "cpu", "clone", "permute", "transpose", "view_as", "reshape_as", "type_as",
})
# Calls that produce logits: learned layers and the functional/linear-algebra forms of them.
LAYER_FUNCTIONS = frozenset({"torch.nn.functional.linear", "torch.matmul", "torch.mm", "torch.bmm",
                             "torch.einsum", "torch.addmm"})

LOSS_KINDS = {
    "torch.nn.CrossEntropyLoss": "cross_entropy",
    "torch.nn.NLLLoss": "nll",
    "torch.nn.BCEWithLogitsLoss": "bce_logits",
    "torch.nn.BCELoss": "bce",
    "torch.nn.MSELoss": "mse",
    "torch.nn.L1Loss": "l1",
    "torch.nn.SmoothL1Loss": "l1",
    "torch.nn.HuberLoss": "l1",
    "torch.nn.KLDivLoss": "kl_div",
    "torch.nn.MultiLabelSoftMarginLoss": "bce_logits",
    "torch.nn.functional.cross_entropy": "cross_entropy",
    "torch.nn.functional.nll_loss": "nll",
    "torch.nn.functional.binary_cross_entropy_with_logits": "bce_logits",
    "torch.nn.functional.binary_cross_entropy": "bce",
    "torch.nn.functional.mse_loss": "mse",
    "torch.nn.functional.l1_loss": "l1",
    "torch.nn.functional.smooth_l1_loss": "l1",
    "torch.nn.functional.kl_div": "kl_div",
}
_LOSS_WRAPPER_METHODS = frozenset({"to", "cuda", "cpu"})


@dataclass(frozen=True, eq=False)
class Op:
    """One output op: its kind, the node applying it (the line to change), and whether it sits
    inside a model (a forward or a Sequential) or at the call site."""

    kind: str
    node: cst.CSTNode
    in_model: bool
    # the call that brings the op in from a helper shared by others (``*block(128, n_classes)``
    # with ``block`` returning ``[nn.Linear(i, o), nn.ReLU()]``): the line to change
    at: cst.CSTNode | None = None


@dataclass(frozen=True, eq=False)
class Chain:
    """One way an expression may be computed: the output ops outermost first, then what it ends
    at: 'layer' (a learned layer: logits) or 'unknown'. ``classes`` is the layer's literal output
    width when known (``nn.Linear(256, 10)`` -> 10). ``models`` are the models crossed."""

    ops: tuple[Op, ...]
    end: str
    classes: int | None = None
    models: tuple[Obj, ...] = ()

    def wrapped(self, op: Op) -> Chain:
        return Chain((op, *self.ops), self.end, self.classes, self.models)

    def through(self, model: Obj) -> Chain:
        return Chain(self.ops, self.end, self.classes, (model, *self.models))

    @property
    def identity(self) -> tuple:
        """Equal for two chains through the same ops, end and models."""
        return (tuple((op.kind, id(op.node), op.in_model) for op in self.ops), self.end, self.classes,
                tuple(id(model.call) for model in self.models))

    @property
    def first(self) -> Op | None:
        """The outermost op, with ``log(softmax(x))`` read as one log_softmax."""
        if not self.ops:
            return None
        if self.ops[0].kind == LOG and len(self.ops) > 1 and self.ops[1].kind == SOFTMAX:
            return Op(LOG_SOFTMAX, self.ops[0].node, self.ops[0].in_model)
        return self.ops[0]


UNKNOWN = Chain((), "unknown")


@dataclass(frozen=True, eq=False)
class LossFeed:
    """A loss call and what its prediction argument may be."""

    site: CallSite
    kind: str
    prediction: cst.BaseExpression
    chains: tuple[Chain, ...]


@dataclass(frozen=True, eq=False)
class SoftmaxSite:
    """A softmax or log_softmax applied in the file (function, method or module form)."""

    site: CallSite
    kind: str
    chains: tuple[Chain, ...]


# --- control flow inside one function --------------------------------------------------------

@dataclass(frozen=True)
class _Place:
    index: int
    path: tuple[tuple[str, int, str], ...]


@dataclass(frozen=True, eq=False)
class _Body:
    places: dict[int, _Place]
    returns: tuple[tuple[cst.BaseExpression, cst.CSTNode], ...]


@memoized
def _body(function: FunctionInfo) -> _Body:
    """Each statement's textual index and the conditional blocks around it; the return values."""
    indexer = _BodyIndexer()
    node = function.node
    body = node.body if type(node) is cst.Module else node.body.body
    if type(node) is cst.FunctionDef and type(node.body) is cst.SimpleStatementSuite:
        body = [cst.SimpleStatementLine(body=list(node.body.body))]
        for small in node.body.body:
            if type(small) is cst.Return and small.value is not None:
                indexer.returns.append((small.value, node))
    indexer.walk(body, ())
    return _Body(indexer.places, tuple(indexer.returns))


class _BodyIndexer:
    """Numbers a function's statements in textual order with the blocks around each (methods, not
    closures calling each other: those would be a reference cycle holding the tree)."""

    def __init__(self) -> None:
        self.places: dict[int, _Place] = {}
        self.returns: list[tuple[cst.BaseExpression, cst.CSTNode]] = []

    def place(self, statement: cst.CSTNode, path: tuple) -> None:
        self.places[id(statement)] = _Place(len(self.places), path)

    def walk(self, statements, path) -> None:
        for statement in statements:
            self.place(statement, path)
            if type(statement) is cst.SimpleStatementLine:
                for small in statement.body:
                    if type(small) is cst.Return and small.value is not None:
                        self.returns.append((small.value, statement))
            elif type(statement) is cst.If:
                self.walk_if(statement, path)
            elif type(statement) in (cst.For, cst.While):
                self.walk(statement.body.body, path + (("loop", id(statement), "body"),))
                if statement.orelse is not None:
                    self.walk(statement.orelse.body.body, path + (("loop", id(statement), "else"),))
            elif type(statement) is cst.With:
                self.walk(statement.body.body, path)
            elif type(statement) is cst.Try:
                self.walk(statement.body.body, path)
                for handler in statement.handlers:
                    self.walk(handler.body.body, path + (("except", id(handler), "body"),))
                if statement.orelse is not None:
                    self.walk(statement.orelse.body.body, path + (("try", id(statement), "else"),))
                if statement.finalbody is not None:
                    self.walk(statement.finalbody.body.body, path)

    def walk_if(self, statement: cst.If, path) -> None:
        self.walk(statement.body.body, path + (("if", id(statement), "body"),))
        orelse = statement.orelse
        inner = path + (("if", id(statement), "else"),)
        if type(orelse) is cst.If:
            self.place(orelse, inner)
            self.walk_if(orelse, inner)
        elif type(orelse) is cst.Else:
            self.walk(orelse.body.body, inner)


def reaching(script: Script, name: str, function: FunctionInfo, statement: cst.CSTNode | None,
             parameters: bool = False) -> list | None:
    """The assignments of ``name`` in ``function`` that may reach ``statement``: walking back from
    the use, every earlier assignment until one that always runs before it. None when the name is
    not assigned in ``function`` (a parameter or an outer name), and, with ``parameters``, when it
    is a parameter that no assignment before the use rebinds (``images = images.transpose(...)``
    reads the parameter; without it, such a use is read as every assignment of the name)."""
    assignments = function.bindings.get(name)
    if not assignments:
        return None
    if statement is None:
        return list(assignments)
    places = _body(function).places
    use = places.get(id(statement))
    if use is None:
        return list(assignments)
    earlier = [a for a in assignments if id(a.statement) in places and places[id(a.statement)].index < use.index]
    if parameters and not earlier and name in function.params:
        return None
    earlier.sort(key=lambda a: places[id(a.statement)].index, reverse=True)
    out = []
    for assignment in earlier:
        out.append(assignment)
        path = places[id(assignment.statement)].path
        if use.path[: len(path)] == path:
            break
    return out or list(assignments)


def function_returns(function: FunctionInfo) -> tuple[tuple[cst.BaseExpression, cst.CSTNode], ...]:
    """``(value, statement)`` for each ``return value`` of the function (not nested ones)."""
    return _body(function).returns


# --- tracing ---------------------------------------------------------------------------------

def chains_of(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo,
              statement: cst.CSTNode | None = None) -> list[Chain]:
    """The ways ``expr`` (used in ``statement`` of ``function``) may be computed."""
    return list(_trace(script, expr, function, statement, False))


def _trace(script: Script, expr, function: FunctionInfo, statement, in_model: bool,
           element: int | None = None) -> tuple[Chain, ...]:
    """The chains of ``expr``, each distinct one once and at most MAX_CHAINS of them, worked out
    once per (expression, function, statement, in_model, element). ``element``: the position asked
    for in a tuple the expression evaluates to (``probs, aux = model(x)`` asks for element 0 of
    what ``model(x)`` returns). An expression met again while it is being traced (a cycle through
    assignments or calls), or MAX_TRACE_DEPTH traces deep, is 'unknown' on that path."""
    if expr is None:
        return (UNKNOWN,)
    key = (id(expr), id(function), id(statement), in_model, element)
    memo = script.memo.setdefault(_trace, {})
    found = memo.get(key)
    if found is not None:
        return found
    tracing = script.memo.setdefault((_trace, "in progress"), set())
    if key in tracing or len(tracing) >= MAX_TRACE_DEPTH:
        return (UNKNOWN,)
    tracing.add(key)
    try:
        found = memo[key] = _distinct(_trace_expr(script, expr, function, statement, in_model, element))
    finally:
        tracing.discard(key)
    return found


def _distinct(chains: list[Chain]) -> tuple[Chain, ...]:
    """``chains`` without repeats, first ones kept; past MAX_CHAINS the rest is 'unknown' (a
    chain is one path through the code, and their number can double with each branch)."""
    seen: set[tuple] = set()
    out: list[Chain] = []
    for chain in chains:
        key = chain.identity
        if key in seen:
            continue
        if len(out) == MAX_CHAINS:
            out.append(UNKNOWN)
            break
        seen.add(key)
        out.append(chain)
    return tuple(out)


def _trace_expr(script: Script, expr, function: FunctionInfo, statement, in_model: bool,
                element: int | None) -> list[Chain]:
    if type(expr) is cst.Name:
        return _trace_name(script, expr, function, statement, in_model, element)
    if type(expr) in (cst.Tuple, cst.List):
        elements = [item.value for item in expr.elements if type(item) is cst.Element]
        if element is None or len(elements) != len(expr.elements) or not -len(elements) <= element < len(elements):
            return [UNKNOWN]
        return list(_trace(script, elements[element], function, statement, in_model))
    indexed = element_index(expr)
    if indexed is not None and element is None:
        return list(_trace(script, indexed[0], function, statement, in_model, indexed[1]))
    if element is not None and type(expr) is not cst.Call:
        return [UNKNOWN]
    if type(expr) is cst.Subscript and _selects_rows(expr):
        # `out[data.train_mask]`, `logits[idx_train]`: the rows of the output keep what made it
        return list(_trace(script, expr.value, function, statement, in_model))
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.MatrixMultiply:
        return [Chain((), "layer")]
    if type(expr) is cst.Call:
        return _trace_call(script, expr, function, statement, in_model, element)
    return [UNKNOWN]


def _selects_rows(expr: cst.Subscript) -> bool:
    """An index by a mask or index tensor (`out[train_mask]`, `out[idx]`, `out[batch.mask, :]`):
    not a literal key or position (`out["logits"]`, `out[0]`: another value of a dict or tuple)."""
    for element in expr.slice:
        index = element.slice
        if type(index) is cst.Index and (literal(index.value) is not ... or type(index.value) in (
                cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
            return False
    return True


def _trace_name(script, expr: cst.Name, function, statement, in_model, element) -> list[Chain]:
    out: list[Chain] = []
    rebound = function.bindings.get(expr.value, ())
    if (rebound and expr.value in function.params and all(assignment.loop is None for assignment in rebound)
            and reaching(script, expr.value, function, statement, parameters=True) is None):
        # a parameter read before the function rebinds it (`binary_cross_entropy_with_logits(x_recon,
        # x)` in one branch, `x_recon = F.sigmoid(x_recon)` in a later one): what the callers pass
        for arg, site in script.arguments_for(function, expr.value):
            out += _trace(script, arg, site.function, site.statement, in_model, element)
        return out or [UNKNOWN]
    assignments = reaching(script, expr.value, function, statement)
    if assignments is not None:
        for assignment in assignments:
            if _skipped_on_last_pass(assignment) or _switched_off_everywhere(script, assignment):
                continue  # `if i < len(self.layers) - 1: x = F.relu(x)`: the hidden layers only
            out += _trace(script, assignment.value, assignment.function, assignment.statement, in_model, element)
        return out or [UNKNOWN]
    for bound in script.values(expr, function):
        if type(bound.expr) is cst.Name:
            out.append(UNKNOWN)
        else:
            out += _trace(script, bound.expr, bound.function, None, in_model, element)
    return out or [UNKNOWN]


def _skipped_on_last_pass(assignment) -> bool:
    """The assignment runs in a loop under ``if i < len(layers) - 1:`` (``i != n - 1``, ``i + 1 <
    n``, ``not last``): never on the loop's last pass, so never on what the loop ends with."""
    return assignment.loop is not None and any(_not_last_pass(test) for test in _tests_holding(assignment))


def _tests_holding(assignment) -> tuple[cst.BaseExpression, ...]:
    """The tests of the ``if`` bodies the assignment runs in (see ``statement_places``)."""
    place = statement_places(assignment.function).get(id(assignment.statement))
    return place[1] if place is not None else ()


def _switched_off_everywhere(script: Script, assignment) -> bool:
    """The assignment runs under ``if self.<flag>:`` in a module whose every construction in view
    leaves the flag false (``CNN(apply_sigmoid=False)``, or a ``False`` default no call overrides)."""
    cls = assignment.function.cls
    if cls is None:
        return False
    flags = [test.attr.value for test in _tests_holding(assignment)
             if type(test) is cst.Attribute and dotted(test.value) == "self"]
    if not flags:
        return False
    built = [site for site in script.calls if site.name == cls.name and not script.is_imported(site.node.func)]
    if not built:
        return False
    return any(all(literal(script.constructed_with(cls, flag, site.node)) in (False, None, 0) for site in built)
               for flag in flags)


def _not_last_pass(test: cst.BaseExpression) -> bool:
    if type(test) is cst.UnaryOperation and type(test.operator) is cst.Not:
        return "last" in (dotted(test.expression) or "").lower()
    if type(test) is not cst.Comparison or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if type(target.operator) not in (cst.LessThan, cst.NotEqual):
        return False
    right, left = target.comparator, test.left
    minus_one = (type(right) is cst.BinaryOperation and type(right.operator) is cst.Subtract
                 and literal(right.right) == 1)
    plus_one = type(left) is cst.BinaryOperation and type(left.operator) is cst.Add and literal(left.right) == 1
    return minus_one or plus_one


def _trace_call(script: Script, call: cst.Call, function, statement, in_model, element) -> list[Chain]:
    func = call.func
    if script.is_imported(func):
        if element is not None:
            return [UNKNOWN]
        qualname = script.qualname(func) or ""
        if qualname in FUNCTION_OPS:
            op = Op(FUNCTION_OPS[qualname], call, in_model)
            return [c.wrapped(op) for c in _trace(script, _first_arg(call), function, statement, in_model)]
        if qualname in PASSTHROUGH_FUNCTIONS:
            return list(_trace(script, _first_arg(call), function, statement, in_model))
        if qualname in LAYER_FUNCTIONS:
            return [Chain((), "layer")]
    elif is_tensor_method(script, func, function):
        if element is not None:
            return [UNKNOWN]
        method = func.attr.value
        if method in METHOD_OPS:
            op = Op(METHOD_OPS[method], call, in_model)
            return [c.wrapped(op) for c in _trace(script, func.value, function, statement, in_model)]
        return list(_trace(script, func.value, function, statement, in_model))
    # a helper of the file or a method of the model (`self.class_probs(logits)` returning
    # `logits.softmax(-1)`): what it returns
    helper = script.local_factory(call, function) if type(func) in (cst.Name, cst.Attribute) else None
    if helper is not None and helper is not function and helper.name not in ("forward", "__call__") and helper.returns:
        out: list[Chain] = []
        for returned in helper.returns:
            out += _trace(script, returned, helper, None, in_model, element)
        return out
    # a module (or model) being called: self.fc(x), net(x), self(x), nn.ReLU()(x)
    return _trace_module_call(script, call, function, statement, in_model, element)


def called_module(script: Script, func: cst.BaseExpression) -> cst.BaseExpression:
    """The module a call calls: ``criterion`` for ``criterion.forward(out, y)`` (the call spelled
    out, as pre-1.0 tutorials wrote it), else ``func`` itself."""
    if (type(func) is cst.Attribute and func.attr.value == "forward" and type(func.value) in (cst.Name, cst.Attribute)
            and not script.is_imported(func.value)):
        return func.value
    return func


def _trace_module_call(script: Script, call: cst.Call, function, statement, in_model,
                       element: int | None = None) -> list[Chain]:
    func = called_module(script, call.func)
    if type(func) is cst.Name and func.value == "self" and function.cls is not None:
        if script.class_is(function.cls, _module_bases()):
            return [c for c in class_chains(script, function.cls, element)]
        return [UNKNOWN]
    out: list[Chain] = []
    for kind, detail in _callee_kinds(script, func, function):
        if kind == "model":
            out += [c.through(detail) for c in model_chains(script, detail, element)]
        elif element is not None:
            out.append(UNKNOWN)  # of what a call returns, only a model's tuple is followed
        elif kind == "op":
            op = Op(detail, call, in_model)
            out += [c.wrapped(op) for c in _trace(script, _first_arg(call), function, statement, in_model)]
        elif kind == "passthrough":
            out += _trace(script, _first_arg(call), function, statement, in_model)
        elif kind == "layer":
            out.append(Chain((), "layer", detail))
        else:
            out.append(UNKNOWN)
    return out or [UNKNOWN]


@per_value
def _callee_kinds(script: Script, func: cst.BaseExpression, function: FunctionInfo) -> tuple[tuple, ...]:
    """What calling ``func`` does to its input, once per kind: ('model', Obj), ('op', op kind),
    ('passthrough', None), ('layer', width) or ('unknown', None). It depends only on what ``func``
    may be bound to, so it is worked out once per value: a model called in a thousand places,
    and reassigned a thousand times, costs one resolution."""
    if type(func) is cst.Call:
        bounds = [Bound(func, function)]
    elif type(func) in (cst.Name, cst.Attribute):
        bounds = script.values(func, function)
    else:
        return ()
    kinds: dict[tuple, tuple] = {}
    for bound in bounds:
        for kind, detail, identity in _bound_kinds(script, bound):
            kinds.setdefault((kind, identity), (kind, detail))
    return tuple(kinds.values())


def _bound_kinds(script: Script, bound: Bound):
    """(kind, detail, identity) for one value a called name may hold (see _callee_kinds)."""
    models = models_of(script, bound.expr, bound.function)
    if models:
        for model in models:
            yield "model", model, id(model.call)
        return
    module = _strip_wrappers(script, bound.expr)
    if type(module) is not cst.Call:
        # an alias of a function: act = F.relu; act(x)
        qualname = script.qualname(module) if script.is_imported(module) else None
        if qualname in FUNCTION_OPS:
            yield "op", FUNCTION_OPS[qualname], FUNCTION_OPS[qualname]
        else:
            yield "unknown", None, None
        return
    qualname = script.qualname(module.func) or ""
    imported = script.is_imported(module.func)
    if imported and qualname in MODULE_OPS:
        yield "op", MODULE_OPS[qualname], MODULE_OPS[qualname]
    elif imported and qualname in PASSTHROUGH_MODULES:
        yield "passthrough", None, None
    elif imported and _is_layer(qualname):
        width = _width(module, qualname)
        yield "layer", width, width
    else:
        yield "unknown", None, None


def is_tensor_method(script: Script, func: cst.BaseExpression, function: FunctionInfo) -> bool:
    """``x.softmax(1)``, ``out.view(n, -1)``: a tensor method (not ``self.softmax(x)``, not a call
    of a module held in a local name)."""
    if type(func) is not cst.Attribute or script.is_imported(func):
        return False
    if func.attr.value not in METHOD_OPS and func.attr.value not in PASSTHROUGH_METHODS:
        return False
    return not _is_self(func.value) and not _is_module_binding(script, func, function)


def _is_module_binding(script: Script, func: cst.Attribute, function: FunctionInfo) -> bool:
    """``x.softmax`` where ``x`` is bound to a module instance (not a tensor method call)."""
    return _bound_to_object(script, func.value, function)


@per_value
def _bound_to_object(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    # once per value: `x.view(...)` is asked at every use of `x`
    return any(type(bound.expr) is cst.Call and script.classify(bound) is not None
               for bound in script.values(expr, function))


def _is_self(expr: cst.BaseExpression) -> bool:
    return type(expr) is cst.Name and expr.value == "self"


@lru_cache(maxsize=1)
def _module_bases() -> frozenset[str]:
    from fitlint.analysis import catalog
    return catalog.MODULE_BASES


def _strip_wrappers(script: Script, expr: cst.BaseExpression) -> cst.BaseExpression:
    """The loss under device moves, and the function ``functools.partial(F.cross_entropy,
    weight=w)`` fixes arguments of."""
    while type(expr) is cst.Call:
        if type(expr.func) is cst.Attribute and expr.func.attr.value in ("to", "cuda", "cpu", "float", "double", "half"):
            expr = expr.func.value
        elif script.qualname(expr.func) == "functools.partial" and expr.args and not expr.args[0].keyword:
            expr = expr.args[0].value
        else:
            break
    return expr


def _is_layer(qualname: str) -> bool:
    """A learned torch.nn layer (Linear, Conv2d, LSTM heads excluded: they return tuples)."""
    if not qualname.startswith("torch.nn."):
        return False
    last = qualname.rsplit(".", 1)[-1]
    return last.startswith(("Linear", "Conv", "Bilinear", "LazyLinear", "LazyConv", "Embedding"))


def _width(call: cst.Call, qualname: str) -> int | None:
    last = qualname.rsplit(".", 1)[-1]
    if last not in ("Linear", "LazyLinear"):
        return None
    position = 1 if last == "Linear" else 0
    value = literal(call_arg(call, position, "out_features"))
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _first_arg(call: cst.Call) -> cst.BaseExpression | None:
    return call_arg(call, 0, "input")


# --- models ----------------------------------------------------------------------------------

_IN_PROGRESS: set[tuple[int, int | None]] = set()


def model_chains(script: Script, obj: Obj, element: int | None = None) -> list[Chain]:
    """What a model returns: a local Module class's forward, a Sequential's last layers, an
    imported model (torchvision, timm) as logits. With ``element``, that element of the tuple its
    forward returns."""
    if obj.qualname in script.classes and not script.is_imported(obj.call.func):
        return class_chains(script, script.classes[obj.qualname], element)
    if element is not None:
        return [UNKNOWN]
    if obj.qualname == "torch.nn.Sequential":
        return sequential_chains(script, obj.call, obj.function)
    if obj.qualname.startswith(("torchvision.models.", "timm.")):
        heads = _replaced_heads(script, obj)
        if heads:
            return [chain for value, function in heads for chain in _layers_chains(script, [(value, function, None)])]
        return [Chain((), "layer")]
    return [UNKNOWN]


# The attribute that holds a pretrained model's last layers (resnet: fc; vgg, densenet,
# efficientnet, mobilenet: classifier; vit: heads; timm: head).
_HEAD_ATTRIBUTES = frozenset({"fc", "classifier", "heads", "head"})


def _replaced_heads(script: Script, obj: Obj) -> list[tuple[cst.BaseExpression, FunctionInfo]]:
    """What a pretrained model's head is replaced with (``model.fc = nn.Sequential(..., nn.Softmax(1))``):
    the model then returns that head's output."""
    names = set(names_bound_to(script, obj.call))
    return [(assignment.value, assignment.function) for assignment in script.assigns
            if "." in assignment.target and not assignment.unpacked
            and assignment.target.rsplit(".", 1)[0] in names
            and assignment.target.rsplit(".", 1)[1] in _HEAD_ATTRIBUTES]


def class_chains(script: Script, cls: ClassInfo, element: int | None = None) -> list[Chain]:
    return list(_class_chains(script, cls.name, element))


@memoized
def _class_chains(script: Script, name: str, element: int | None) -> tuple[Chain, ...]:
    cls = script.classes.get(name)
    key = (id(cls), element)
    if cls is None or key in _IN_PROGRESS:
        return (UNKNOWN,)
    forward = _method(script, cls, "forward")
    if forward is None:
        # a base class whose training method calls `self(x)` while each subclass brings its
        # forward: what the subclasses of the file return
        subclasses = [other for other in script.classes.values() if name in other.bases and other is not cls
                      and "forward" in other.methods]
        if not subclasses or key in _IN_PROGRESS:
            return (UNKNOWN,)
        _IN_PROGRESS.add(key)
        try:
            return _distinct([chain for other in subclasses for chain in _class_chains(script, other.name, element)]) or (UNKNOWN,)
        finally:
            _IN_PROGRESS.discard(key)
    _IN_PROGRESS.add(key)
    try:
        out: list[Chain] = []
        for value, statement in function_returns(forward):
            out += _trace(script, value, forward, statement, True, element)
        return _distinct(out) or (UNKNOWN,)
    finally:
        _IN_PROGRESS.discard(key)


def _method(script: Script, cls: ClassInfo, name: str, depth: int = 0) -> FunctionInfo | None:
    if name in cls.methods:
        return cls.methods[name]
    if depth > 6:
        return None
    for base in cls.bases:
        parent = script.classes.get(base)
        if parent is not None and parent is not cls:
            found = _method(script, parent, name, depth + 1)
            if found is not None:
                return found
    return None


def sequential_chains(script: Script, call: cst.Call, function: FunctionInfo) -> list[Chain]:
    """A ``nn.Sequential(...)``'s output: its layers read from the end."""
    return list(_sequential_chains(script, call, function))


@memoized
def _sequential_chains(script: Script, call: cst.Call, function: FunctionInfo) -> list[Chain]:
    site = script.site_of(call)
    order = site.order if site is not None else 0
    items: list[Layer | None] = []
    for arg in call.args:
        if arg.keyword is not None:
            continue
        if arg.star == "*":
            # `*layers` built by the function, `*block(128, n)` from a helper returning a list
            items += _starred_layers(script, arg.value, function, order, 0) or [None]
        elif arg.star:
            return [UNKNOWN]
        else:
            items.append((arg.value, function, None))
    items += [(module, function, None) for module in added_modules(script, call)]
    # reading from the end needs only the layers after the last one that is not known
    known = items[len(items) - items[::-1].index(None):] if None in items else items
    if not known:
        return [UNKNOWN]
    return _layers_chains(script, known)


_MAX_STAR_DEPTH = 4
# a layer of a Sequential: its expression, the function its names are read in, and the helper
# call it comes from (None: written where the Sequential is built)
Layer = tuple[cst.BaseExpression, FunctionInfo, "cst.CSTNode | None"]


def _starred_layers(script: Script, expr: cst.BaseExpression, function: FunctionInfo, order: int,
                    depth: int, via: cst.CSTNode | None = None) -> list[Layer | None] | None:
    """The items a starred argument of ``nn.Sequential`` unpacks, in order: a list its function
    builds (``layers += [nn.Linear(d, h), nn.ReLU()]``, an item added under an ``if`` unknown),
    a list written out, ``body + head``, or the list a helper of the file returns (``def
    block(i, o): return [nn.Linear(i, o), nn.ReLU()]``); None when it cannot be told."""
    if depth > _MAX_STAR_DEPTH:
        return None
    kind = type(expr)
    if kind in (cst.List, cst.Tuple):
        out: list[Layer | None] = []
        for element in expr.elements:
            if type(element) is cst.StarredElement:
                out += _starred_layers(script, element.value, function, order, depth + 1, via) or [None]
            else:
                out.append((element.value, function, via))
        return out
    if kind is cst.BinaryOperation and type(expr.operator) is cst.Add:
        left = _starred_layers(script, expr.left, function, order, depth + 1, via)
        right = _starred_layers(script, expr.right, function, order, depth + 1, via)
        return (left or [None]) + right if right is not None else None
    if kind is cst.Name:
        listed = script.listed_items(expr.value, function, order, partial(_passes_through, script))
        if listed is not None:
            return [(item, function, via) if item is not None else None for item in listed]
        bounds = script.values(expr, function)
        if len(bounds) == 1 and bounds[0].expr is not expr:
            bound = bounds[0]
            return _starred_layers(script, bound.expr, bound.function, 1 << 60, depth + 1, via)
        return None
    if kind is cst.Call and not script.is_imported(expr.func):
        site = script.site_of(expr)
        helper = script.callee(site) if site is not None else None
        if helper is not None and helper.cls is None and len(helper.returns) == 1:
            # the call is the line to change when the helper builds other blocks too
            shared = len(script.call_sites_of(helper)) > 1
            return _starred_layers(script, helper.returns[0], helper, 1 << 60, depth + 1, (expr if shared else via))
    return None


def _passes_through(script: Script, layer: cst.BaseExpression) -> bool:
    """``nn.Dropout(p)``, ``nn.Identity()``: a layer that keeps the sign of what it is given."""
    return (type(layer) is cst.Call and script.is_imported(layer.func)
            and script.qualname(layer.func) in PASSTHROUGH_MODULES)


def _layers_chains(script: Script, layers: list[Layer]) -> list[Chain]:
    """The output of layers run in order (each with the function its names are read in), read
    from the last: the activations and softmaxes after the last layer with weights, or the
    output of a model among them."""
    ops: list[Op] = []
    for layer, function, via in reversed(layers):
        if type(layer) is not cst.Call:
            # `nn.Sequential(backbone, head)` with `head = nn.Sequential(...)`: the one module it names
            values = script.values(layer, function)
            if len(values) != 1 or type(values[0].expr) is not cst.Call:
                return [Chain(tuple(ops), "unknown")]
            layer, function = values[0].expr, values[0].function
        func = layer.func
        if type(func) is cst.Subscript or (type(func) is cst.Name and func.value in function.params):
            # `ACTS[act]()` with `act` only ever "relu", `act()` for a parameter `act=nn.ReLU` no
            # call changes: nn.ReLU
            picked = script.values(func, function)
            func = picked[0].expr if len(picked) == 1 and script.is_imported(picked[0].expr) else func
        qualname = script.qualname(func) or ""
        imported = script.is_imported(func)
        if imported and qualname in MODULE_OPS:
            ops.append(Op(MODULE_OPS[qualname], layer, True, via))
            continue
        if imported and qualname in PASSTHROUGH_MODULES:
            continue
        if imported and _is_layer(qualname):
            return [Chain(tuple(ops), "layer", _width(layer, qualname))]
        models = models_of(script, layer, function)
        if models:
            out = []
            for model in models:
                for chain in model_chains(script, model):
                    out.append(Chain((*ops, *chain.ops), chain.end, chain.classes, (model, *chain.models)))
            return out
        return [Chain(tuple(ops), "unknown")]
    return [Chain(tuple(ops), "unknown")]


# --- consumers -------------------------------------------------------------------------------

_LOSS_LEAVES = frozenset(qualname.rsplit(".", 1)[-1] for qualname in LOSS_KINDS)


def loss_kind(script: Script, site: CallSite) -> str | None:
    """The kind of loss a call computes ('cross_entropy', 'nll', 'bce_logits', 'bce', 'mse', ...),
    when every binding of the callee agrees."""
    func = site.node.func
    if script.is_imported(func):
        return LOSS_KINDS.get(script.qualname(func) or "")
    func = called_module(script, func)
    if type(func) is cst.Call:
        candidates = [func]
    elif type(func) in (cst.Name, cst.Attribute):
        if type(func) is cst.Attribute and not _is_self(func.value):
            return None  # only self.x is followed: anything else resolves to itself, not imported
        candidates = [bound.expr for bound in script.values(func, site.function)]
    else:
        return None
    kinds = set()
    spelled = dotted(func)
    for expr in candidates:
        expr = _strip_wrappers(script, expr)
        if spelled is not None and dotted(expr) == spelled:
            continue  # `criterion = criterion.cuda()`: the same module moved, its kind comes from the others
        target = expr.func if type(expr) is cst.Call else expr
        if type(expr) is cst.Call and not script.is_imported(target) and type(target) in (cst.Name, cst.Subscript):
            # `CFG["loss"]()` / `loss_cls()` with the class stored under that name
            classes = script.values(target, site.function)
            target = classes[0].expr if len(classes) == 1 and script.is_imported(classes[0].expr) else target
        if not script.is_imported(target):
            wrapped = _wrapper_kind(script, expr) if type(expr) is cst.Call else None
            if wrapped is None:
                return None
            kinds.add(wrapped)
            continue
        qualname = script.qualname(target) or ""
        kind = LOSS_KINDS.get(qualname)
        if kind is None:
            return None
        # a class must be constructed (CrossEntropyLoss()), a function used as is (F.cross_entropy)
        is_class = qualname.rsplit(".", 1)[-1][:1].isupper()
        if is_class != (type(expr) is cst.Call):
            return None
        kinds.add(kind)
    return kinds.pop() if len(kinds) == 1 else None


def _wrapper_kind(script: Script, call: cst.Call) -> str | None:
    """The kind of a loss class of the file (``BCEDiceLoss()``) whose ``forward`` hands its first
    argument, as it is, to one kind of loss (``self.bce(logits, target)`` with ``self.bce =
    nn.BCEWithLogitsLoss()``, beside a Dice term on its sigmoid): what a caller feeds it is fed to
    that loss."""
    cls = script.classes.get(script.qualname(call.func) or "")
    forward = script.method_of_class(cls, "forward") if cls is not None else None
    if forward is None or len(forward.params) < 2:
        return None
    memo = script.memo.setdefault(_wrapper_kind, {})
    if id(forward) not in memo:
        memo[id(forward)] = None  # a loss class calling itself: no kind
        first = forward.params[1]
        kinds = {loss_kind(script, site) for site in forward.calls if site.function is forward
                 and type(call_arg(site.node, 0, "input")) is cst.Name and call_arg(site.node, 0, "input").value == first}
        kinds.discard(None)
        memo[id(forward)] = kinds.pop() if len(kinds) == 1 else None
    return memo[id(forward)]


def loss_feeds(script: Script) -> list[LossFeed]:
    return list(_loss_feeds(script))


@memoized
def _loss_feeds(script: Script) -> tuple[LossFeed, ...]:
    if not any(leaf in script.source for leaf in _LOSS_LEAVES):
        return ()  # every loss kind needs one of these names written somewhere in the file
    out = []
    # a named callee's kind depends only on its name and the function it is called from (the
    # bindings are followed without regard to order), so each pair is asked once
    by_name: dict[tuple[str, int], str | None] = {}
    for site in script.calls:
        if site.name is None:
            if type(site.node.func) is not cst.Call:
                continue
            kind = loss_kind(script, site)
        else:
            key = (site.name, id(site.function))
            if key not in by_name:
                by_name[key] = loss_kind(script, site)
            kind = by_name[key]
        if kind is None:
            continue
        prediction = call_arg(site.node, 0, "input")
        if prediction is None:
            continue
        chains = tuple(chains_of(script, prediction, site.function, site.statement))
        out.append(LossFeed(site, kind, prediction, chains))
    return tuple(out)


def softmax_kind(script: Script, site: CallSite) -> str | None:
    """'softmax' or 'log_softmax' when the call applies one (any form, binding-aware)."""
    func = site.node.func
    if script.is_imported(func):
        kind = FUNCTION_OPS.get(script.qualname(func) or "")
    elif is_tensor_method(script, func, site.function):
        kind = METHOD_OPS.get(func.attr.value)
    elif type(func) in (cst.Name, cst.Attribute):
        kinds = set()
        for bound in script.values(func, site.function):
            expr = _strip_wrappers(script, bound.expr)
            if type(expr) is not cst.Call or not script.is_imported(expr.func):
                return None
            kinds.add(MODULE_OPS.get(script.qualname(expr.func) or ""))
        kind = kinds.pop() if len(kinds) == 1 else None
    else:
        kind = None
    return kind if kind in (SOFTMAX, LOG_SOFTMAX) else None


def softmax_input(script: Script, site: CallSite) -> cst.BaseExpression | None:
    func = site.node.func
    if is_tensor_method(script, func, site.function):
        return func.value
    return _first_arg(site.node)


def softmax_sites(script: Script) -> list[SoftmaxSite]:
    return list(_softmax_sites(script))


@memoized
def _softmax_sites(script: Script) -> tuple[SoftmaxSite, ...]:
    modules = any(
        script.qualname(site.node.func) in ("torch.nn.Softmax", "torch.nn.LogSoftmax", "torch.nn.Softmax2d")
        for site in script.calls
    )
    out = []
    for site in script.calls:
        func = site.node.func
        named = type(func) is cst.Attribute and func.attr.value in ("softmax", "log_softmax")
        if not named and not (modules and type(func) in (cst.Name, cst.Attribute)):
            continue
        kind = softmax_kind(script, site)
        if kind is None:
            continue
        in_model = site.function.name == "forward" and site.function.cls is not None
        chains = _trace(script, softmax_input(script, site), site.function, site.statement, in_model)
        out.append(SoftmaxSite(site, kind, chains))
    return tuple(out)


def module_classes(script: Script) -> list[ClassInfo]:
    """The nn.Module classes defined in the file that have a forward."""
    return [cls for cls in script.classes.values()
            if script.class_is(cls, _module_bases()) and _method(script, cls, "forward") is not None]
