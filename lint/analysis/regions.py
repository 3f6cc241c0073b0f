"""Evaluation and training regions of a script, the mode a model is in at a call, and whether a
call runs with gradients disabled.

Part of the shared analysis (with ``fitlint.analysis.script``, ``fitlint.analysis.data`` and ``fitlint.analysis.models``).
Rules about evaluation (FIT201-FIT203, and later the model-selection and data-leak rules) ask
here which functions and loops evaluate, which model a call runs, which mode that model is in
when the call runs, and whether autograd is off there, instead of each re-deriving it.

Facts are per function and per loop, not per file:

- An evaluation region is a function whose job is evaluating (its name says test / evaluate /
  validate / val / eval / predict / inference, or it calls ``model.eval()`` itself before running
  that model in a loop; it does not train, and it is not a per-batch helper called from a
  training step), or a loop over a validation/test loader that does not train. Lightning hooks,
  methods of ``nn.Module`` subclasses (the model's own code) and test suites are never regions:
  the framework or the caller decides the mode there; unless the model trains itself (a
  Keras-like ``fit(self, ...)`` that steps an optimizer): then ``self`` is that model.
- A model is identified by the set of values its expression may hold (``fitlint.analysis.script``'s
  ``values``): ``net``, the ``model`` parameter that receives it and ``self.model`` assigned from
  it share those values, so a ``model.eval()`` in a caller reaches a ``model(x)`` in a helper.
- The mode at a call is the set of mode events that may reach it: ``m.eval()``, ``m.train(...)``,
  ``m.train(False)``, the construction of the model (a fresh module is in training mode), and calls
  of local functions whose last mode event is one of those. The search walks back through the
  call's loops (an event later in a loop body reaches the next iteration: ``via_loop``), then the
  function, then the call sites of the function. Branches are not told apart; anything the
  analysis cannot see is an ``unknown`` event, which rules treat as "say nothing".
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property
from typing import Iterable, Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.data import dataloaders, dataset_split, split_at_binding, split_from_name
from fitlint.analysis.models import Layers, UNKNOWN, builds_mode_layers, class_layers, model_layers, named_like_model, torch_layer
from fitlint.words import words as split_words
from fitlint.analysis.optimization import TRAIN_WORDS, binding_feeds_backward, names_feeding_backward, names_no_grad
from fitlint.analysis.splits import drawn_at_random, rows_of, words_of
from fitlint.analysis.script import (
    RESOLVED,
    Assignment,
    Basis,
    Bound,
    CallSite,
    ClassInfo,
    FunctionInfo,
    LoopInfo,
    Obj,
    Script,
    assigned_names,
    block_leaves,
    call_arg,
    code_of,
    names_in,
    one_armed_ifs,
    reads_attribute,
    statement_places,
    dotted,
    guessed,
    literal,
    memoized,
    flag_off,
    flag_test,
    children,
    if_tests_holding,
    paths_to,
    target_names,
)
from fitlint.findings import HELD_OUT, Split
from fitlint.analysis.catalog import ObjKind

MAX_DEPTH = 6
# How many callers deep the mode and gradient state at a call is looked for; deeper is
# "unknown" (the answers are memoized per function, so this only guards Python's stack).
MAX_CALL_DEPTH = 48

EVAL_WORDS = frozenset({
    "eval", "evaluate", "evaluation", "evaluating", "test", "testing", "validate", "validation",
    "validating", "val", "valid", "predict", "prediction", "predictions", "infer", "inference",
})
NO_GRAD = frozenset({
    "torch.no_grad", "torch.inference_mode", "torch.autograd.no_grad", "torch.autograd.inference_mode",
    "torch.autograd.grad_mode.no_grad", "torch.autograd.grad_mode.inference_mode",
})
ENABLE_GRAD = frozenset({"torch.enable_grad", "torch.autograd.enable_grad", "torch.autograd.grad_mode.enable_grad"})
SET_GRAD = frozenset({
    "torch.set_grad_enabled", "torch.autograd.set_grad_enabled", "torch.autograd.grad_mode.set_grad_enabled",
})
_GRAD_SWITCHES = NO_GRAD | ENABLE_GRAD | SET_GRAD
# model methods that run the network on their input (see Regions._runs_network)
_LIBRARY_FORWARD_LIKE = frozenset({"encode", "decode", "inference", "forward_features", "extract_features"})
_FORWARD_LIKE = _LIBRARY_FORWARD_LIKE | {"predict", "infer", "embed"}
# nn.Module's own methods: none runs the network on its input
_MODULE_API = frozenset({
    "train", "eval", "to", "cuda", "cpu", "float", "half", "double", "load_state_dict", "state_dict", "parameters",
    "named_parameters", "modules", "children", "apply", "zero_grad", "requires_grad_", "register_buffer",
    "register_forward_hook", "register_module", "add_module", "save", "load", "fit", "train_model", "evaluate",
})


def _forward_like(method: str | None) -> bool:
    """A method name that means running the network: the names above, and ``forward_*``
    (``forward_all`` returning the hidden states too, a siamese ``forward_once``)."""
    return method is not None and (method in _FORWARD_LIKE or method.startswith("forward_"))
# Hooks a framework calls with the mode and gradients already switched.
FRAMEWORK_HOOKS = frozenset({
    "training_step", "validation_step", "test_step", "predict_step", "validation_step_end",
    "test_step_end", "validation_epoch_end", "test_epoch_end", "on_validation_epoch_end",
    "on_test_epoch_end", "on_validation_batch_end", "on_test_batch_end", "on_predict_epoch_end",
})
TEST_SUITE_BASES = frozenset({"unittest.TestCase", "TestCase", "absltest.TestCase", "parameterized.TestCase"})
# Libraries whose models have no train/eval mode in the nn.Module sense.
NON_TORCH_ROOTS = frozenset({
    "sklearn", "xgboost", "lightgbm", "catboost", "tensorflow", "tf", "keras", "jax", "flax",
    "mxnet", "paddle", "statsmodels", "numpy", "np", "scipy", "pandas", "pd",
})
# Calls that show an unknown binding is an nn.Module.
MODULE_EVIDENCE = frozenset({"parameters", "named_parameters", "modules", "named_modules", "children", "apply"})
LOADED = re.compile(r"load|from_pretrained|deepcopy|copy|restore", re.IGNORECASE)
# Methods that put trained weights into a model built in place.
LOADING_METHODS = frozenset({"load_state_dict", "load_weights", "load", "from_pretrained", "load_checkpoint"})
_WRAPPERS = frozenset({
    "torch.nn.DataParallel", "torch.nn.parallel.DistributedDataParallel", "torch.nn.parallel.DataParallel",
    "torch.compile",
})
# identifiers that may name held-out data (split_from_name decides)
_HELD_OUT_IDENTIFIER = re.compile(r"\b\w*(?:[Vv]al|VAL|[Tt]est|TEST|[Dd]ev|[Hh]oldout|[Ee]val)\w*")
_BUILTINS = frozenset({"len", "print", "range", "list", "tuple", "dict", "set", "int", "float", "str", "zip",
                       "enumerate", "sum", "min", "max", "abs", "round", "sorted", "isinstance", "open", "iter",
                       "next", "getattr", "hasattr", "super", "type", "map", "filter", "any", "all"})


def is_eval_name(name: str) -> bool:
    words = set(split_words(name, digits=False))
    return bool(words & EVAL_WORDS) and not words & TRAIN_WORDS


@dataclass(frozen=True, eq=False)
class Model:
    """The model a call runs or a mode call switches. ``key`` holds the values its expression may
    be bound to; two expressions name the same model when their keys intersect. ``objs`` are the
    known constructors (empty when the binding is unknown: then ``layers`` is UNKNOWN)."""

    key: frozenset
    name: str
    objs: tuple[Obj, ...]
    layers: Layers

    @property
    def known(self) -> bool:
        return bool(self.objs)

    @property
    def basis(self) -> Basis:
        """Resolved when a binding reaches a model constructor; guessed when the expression was
        taken for a model by its name or by a module method called on it."""
        if self.objs:
            return RESOLVED
        return guessed(f"`{self.name}` taken for a model by its name or use (its value is not in this file)")

    @property
    def one_layer(self) -> bool:
        """A single torch layer (``embeds = nn.Embedding(n, d)`` run before the model), not a model."""
        return bool(self.objs) and all(
            obj.qualname.startswith("torch.nn.") and obj.qualname.count(".") == 2 and obj.qualname not in _CONTAINERS
            for obj in self.objs)

    def same(self, other: Model | frozenset) -> bool:
        key = other.key if isinstance(other, Model) else other
        return bool(self.key & key)


@dataclass(frozen=True, eq=False)
class ModeEvent:
    """Something that sets a model's mode: mode is 'train', 'eval' or 'unknown'. ``origin`` is the
    node that does it (the ``.eval()`` call, the constructor), ``site`` the mode call when it is
    one; ``via_loop`` is the loop whose next iteration carries the event to the call asked about."""

    mode: str
    origin: cst.CSTNode | None
    site: CallSite | None = None
    construction: bool = False
    via_loop: LoopInfo | None = None

    def carried_by(self, loop: LoopInfo) -> ModeEvent:
        return ModeEvent(self.mode, self.origin, self.site, self.construction, self.via_loop or loop)


UNKNOWN_EVENT = ModeEvent("unknown", None)


_CONTAINERS = frozenset({"torch.nn.Sequential", "torch.nn.ModuleList", "torch.nn.ModuleDict"})


@dataclass(frozen=True, eq=False)
class Forward:
    """A forward pass: ``model(x)`` (or ``model.forward(x)``) at ``site``, or the call at ``site``
    of a helper (``helper``) that runs the model it is handed."""

    site: CallSite
    model: Model
    helper: str | None = None

    def describe(self) -> str:
        """How a message names the pass: "`model(...)`", or "`model(...)` (in `run_batch()`)"."""
        if self.helper is None:
            return f"`{self.site.name}(...)`"
        return f"`{self.model.name}(...)` (in `{self.helper}()`)"


@dataclass(frozen=True, eq=False, repr=False)
class EvalRegion:
    """A function, loop or statement that evaluates. ``split`` is the held-out split when the data
    is known. A statement region (``statement`` set) is one forward pass on held-out data written
    inline: ``test_output = model(test_x)`` every N steps of the training loop, or
    ``torch.cat([model(X_val[j:j + 64]) for j in ...])``."""

    function: FunctionInfo
    loop: LoopInfo | None
    split: Split | None
    forwards: tuple[Forward, ...]
    statement: cst.CSTNode | None = None

    @property
    def node(self) -> cst.CSTNode:
        if self.statement is not None:
            return self.statement
        return self.loop.node if self.loop is not None else self.function.node

    def calls(self) -> list[CallSite]:
        """The calls the evaluation makes."""
        if self.statement is not None:
            return [site for site in self.function.calls if site.statement is self.statement]
        return list(self.loop.all_calls()) if self.loop is not None else self.function.calls

    def describe(self) -> str:
        """'on the test data', 'on the validation data' or 'in `evaluate()`'."""
        if self.split in HELD_OUT:
            return f"on the {self.split} data"
        if self.split is Split.TRAIN:
            return "on the training data"
        if self.function.is_module:
            return "in an evaluation loop"
        return f"in `{self.function.name}()`"


@dataclass(frozen=True, eq=False, repr=False)
class FlagEvaluation:
    """A call of a function that trains or evaluates by a flag (``run_epoch(val_loader,
    train=False)``, ``epoch(test_loader, model)`` whose ``opt=None`` skips the step), made with the
    flag off on held-out data: the function's forward passes then only evaluate."""

    call: CallSite
    function: FunctionInfo
    flag: str
    test: cst.BaseExpression  # the flag's test in the function: `train`, `optimizer is not None`
    split: Split
    forward: Forward


def _merged_layers(layers: list[Layers], complete: bool = True) -> Layers:
    """The layers of a model that may be any of several: every kind any of them has, complete
    when each list is (and ``complete`` says nothing else may be bound)."""
    return Layers(frozenset().union(*(layer.kinds for layer in layers)), complete and all(layer.complete for layer in layers))


def regions(script: Script) -> Regions:
    """The (cached) region analysis of a script."""
    return _regions(script)


@memoized
def _regions(script: Script) -> Regions:
    return Regions(script)


class Regions:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.uses_torch = any(
            value.split(".", 1)[0] in ("torch", "torchvision", "pytorch_lightning", "lightning", "timm")
            for value in script.imports.values()
        )
        # a file named like a test module counts when it holds what pytest collects (`test_*`
        # functions, `Test*` classes): `gcn_test.py` may well be a training script
        self.is_test_suite = (
            any(value.split(".", 1)[0] in ("pytest", "unittest") for value in script.imports.values())
            or re.search(r"(^|[/\\])test_[^/\\]*\.py$|_test\.py$", script.path or "") is not None
            and (any(f.name.startswith("test_") for f in script.functions) or any(
                name.rsplit(".", 1)[-1].startswith("Test") for name in script.classes))
        )
        self._step_cache: dict[int, bool] = {}
        # keyed by Script.value_key: every use of a name shares one answer
        self._bounds_cache: dict[tuple, tuple[Bound, ...]] = {}
        self._key_cache: dict[tuple, frozenset] = {}
        self._model_cache: dict[tuple, Model | None] = {}
        self._events_cache: dict[tuple[int, frozenset], list[tuple[int, ModeEvent]]] = {}
        self._event_statements: dict[int, cst.CSTNode] = {}  # order of a mode event -> its statement
        self._summary_cache: dict[tuple[int, frozenset], ModeEvent | None] = {}
        self._entry_cache: dict[tuple[int, frozenset], tuple[ModeEvent, ...]] = {}
        self._entry_grad_cache: dict[int, str] = {}
        self._trains_itself: dict[int, bool] = {}  # id(class) -> a model class that trains itself
        # the functions whose entry is being worked out: meeting one again is a recursion
        self._entering: set[tuple[int, frozenset]] = set()
        self._entering_grad: set[int] = set()
        self._assigns_by_function: dict[int, list[Assignment]] = {}
        for assignment in script.assigns:
            self._assigns_by_function.setdefault(id(assignment.function), []).append(assignment)

    # models ------------------------------------------------------------------------------
    def unwrap(self, expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
        """``Net().to(device)`` -> ``Net()``; ``nn.DataParallel(net)`` -> ``net``."""
        while type(expr) is cst.Call:
            func = expr.func
            if type(func) is cst.Attribute and func.attr.value in catalog.MODULE_PASSTHROUGH:
                expr = func.value
            elif self.script.qualname(func) in _WRAPPERS and expr.args:
                expr = expr.args[0].value
            else:
                break
        return expr

    def bounds(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[Bound]:
        """The values a model expression may hold, looking through wrappers and ``.to(device)``."""
        return list(self._bounds(self.unwrap(expr), function))

    def _bounds(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> tuple[Bound, ...]:
        # per value, not per node: the thousand uses of `model` in a notebook share one answer
        if expr is None:
            return ()
        cache_key = self.script.value_key(expr, function)
        found = self._bounds_cache.get(cache_key)
        if found is not None:
            return found
        out: list[Bound] = []
        seen: set[int] = set()
        visited = {cache_key}
        todo = [(expr, function, 0)]
        while todo:
            current, scope, depth = todo.pop()
            if depth > MAX_DEPTH:
                continue
            for bound in self.script.values(current, scope):
                if id(bound.expr) in seen:
                    continue
                seen.add(id(bound.expr))
                inner = self.unwrap(bound.expr)
                if inner is bound.expr:
                    out.append(bound)
                elif inner is not None and self.script.value_key(inner, bound.function) not in visited:
                    visited.add(self.script.value_key(inner, bound.function))
                    todo.append((inner, bound.function, depth + 1))
        found = self._bounds_cache[cache_key] = tuple(out)
        return found

    def key(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> frozenset:
        inner = self.unwrap(expr)
        if inner is None:
            return frozenset()
        cache_key = self.script.value_key(inner, function)
        found = self._key_cache.get(cache_key)
        if found is None:
            found = self._key_cache[cache_key] = frozenset(self._token(bound) for bound in self._bounds(inner, function))
        return found

    def _token(self, bound: Bound) -> object:
        expr = bound.expr
        if type(expr) is cst.Name:
            scope = bound.function.binding_scope(expr.value)
            return ("name", id(scope) if scope is not None else "global", expr.value)
        if type(expr) is cst.Attribute:
            name = dotted(expr)
            if name is not None and name.startswith("self.") and bound.function.cls is not None:
                return ("attr", id(bound.function.cls), name)
            return ("attr", name or id(expr))
        return id(expr)

    def model(self, expr: cst.BaseExpression | None, function: FunctionInfo) -> Model | None:
        """The model ``expr`` names, when it is one (known constructor, or an unknown binding with
        a model's name or a module's methods); None for losses, local functions, non-torch models."""
        if expr is None:
            return None
        cache_key = self.script.value_key(expr, function)
        if cache_key not in self._model_cache:
            self._model_cache[cache_key] = self._model(expr, function)
        return self._model_cache[cache_key]

    def _model(self, expr: cst.BaseExpression, function: FunctionInfo) -> Model | None:
        script = self.script
        if not self.uses_torch:
            return None
        name = dotted(expr)
        if name == "self":
            return self._self_model(function)
        if name is None:
            return None
        # an imported name is a module or a library's callable, unless the script rebinds it
        # (`import model` then `model = model.RNNModel(...)`, as pytorch/examples' language model does)
        if script.is_imported(expr) and not (type(expr) is cst.Name and function.binding_scope(name) is not None):
            return None
        if "." in name and not (name.startswith("self.") and name.count(".") == 1):
            return None
        objs: list[Obj] = []
        layers: list[Layers] = []
        unknown = False
        for bound in self.bounds(expr, function):
            verdict = self._classify(bound)
            if verdict is None:
                unknown = True
            elif verdict is not False:
                objs.append(verdict[0])
                layers.append(verdict[1])
        key = self.key(expr, function)
        if not objs and not unknown and not self._uncalled_parameter(name, function):
            return None
        if not objs and not (named_like_model(name) or self._has_module_evidence(key)):
            return None
        if objs:
            merged = _merged_layers(layers, complete=not unknown)
        else:
            merged = UNKNOWN
        return Model(key, name, tuple(objs), merged)

    def _self_model(self, function: FunctionInfo) -> Model | None:
        """``self`` in a method of a model that trains itself (``def fit(self, X, y)``: ``self.train()``,
        ``self(x)``, ``loss.backward()``, ``optimizer.step()``, then ``self(X_val)``): the model is
        the class. Any other model's methods run in the mode and gradients their caller sets."""
        cls = self.self_training_class(function)
        if cls is None:
            return None
        built = (self.script.classify(Bound(site.node, site.function)) for site in self.script.calls if site.name == cls.name)
        objs = tuple(obj for obj in built if obj is not None and obj.kind is ObjKind.MODEL)
        return Model(frozenset({("self", id(cls))}), "self", objs, class_layers(self.script, cls))

    def self_training_class(self, function: FunctionInfo) -> ClassInfo | None:
        """The ``nn.Module`` subclass (not a LightningModule: Lightning runs its loops) whose method
        ``function`` is (or is nested in), when one of its methods trains it."""
        cls = next((scope.cls for scope in function.scopes() if scope.cls is not None), None)
        if cls is None:
            return None
        trains = self._trains_itself.get(id(cls))
        if trains is None:
            script = self.script
            trains = self._trains_itself[id(cls)] = (
                script.class_is(cls, catalog.MODULE_BASES) and not script.class_is(cls, catalog.LIGHTNING_BASES)
                and any(script.function_trains(method) for method in cls.methods.values()))
        return cls if trains else None

    def mode_layers(self, forward: Forward) -> Layers | None:
        """The layers the forward pass runs (``layers_at``), when the mode matters for them: a
        dropout or batch-norm layer of the model, or of the file when the model's layers are out
        of view; else None."""
        layers = self.layers_at(forward)
        if layers.clearly_none or not (layers.has_mode_dependent or builds_mode_layers(self.script)):
            return None
        return layers

    def layers_at(self, forward: Forward) -> Layers:
        """The layers of the model a forward pass runs, from the bindings of its name that reach
        the call: a notebook-style script that trains ``net = nn.Sequential(...)``, then rebinds
        ``net`` to a second architecture with dropout, keeps the first one's layers at the first
        one's uses (``Model`` answers per name, for every use)."""
        site, layers = forward.site, forward.model.layers
        func = site.node.func.value if site.method == "forward" and type(site.node.func) is cst.Attribute else site.node.func
        if type(func) is not cst.Name or len({id(obj) for obj in forward.model.objs}) < 2:
            return layers  # one architecture whatever the binding (``model = model.train()``)
        found = []
        for value in self.script.values_at(func, site.function, site.order, site.loop):
            for bound in self.bounds(value.expr, value.function):
                verdict = self._classify(bound)
                if verdict is None:
                    return layers
                if verdict is not False:
                    found.append(verdict[1])
        return _merged_layers(found) if found else layers

    def _classify(self, bound: Bound) -> tuple[Obj, Layers] | bool | None:
        """(obj, layers) for a model constructor, False for something that is not a torch model,
        None when unknown."""
        script = self.script
        expr = bound.expr
        if type(expr) is cst.Lambda:
            return False
        if type(expr) is cst.Name and (
            script.visible_function(expr.value, bound.function) is not None or expr.value in script.classes
        ):
            return False  # a function or a class: calling it is not a forward pass
        if isinstance(expr, (cst.SimpleString, cst.Integer, cst.Float, cst.List, cst.Tuple, cst.Dict,
                             cst.BinaryOperation, cst.Comparison)):
            return False
        if type(expr) is not cst.Call:
            return None
        obj = script.classify(bound)
        if obj is not None:
            if obj.kind is not ObjKind.MODEL:
                return False
            return obj, model_layers(script, obj)
        qualname = script.qualname(expr.func) or ""
        if script.is_imported(expr.func):
            if qualname.split(".", 1)[0] in NON_TORCH_ROOTS:
                return False
            last = qualname.rsplit(".", 1)[-1]
            if qualname.startswith("torch.nn.") and last[:1].isupper():
                return Obj(ObjKind.MODEL, qualname, expr, bound.function), torch_layer(expr, qualname)
            if qualname.startswith("torch.") and not qualname.startswith(("torch.hub", "torch.load", "torch.jit")):
                return False
            return None
        if qualname in script.classes:
            return False  # a local class that is not an nn.Module
        if script.local_factory(expr, bound.function) is not None:
            return None
        return None

    def _uncalled_parameter(self, name: str, function: FunctionInfo) -> bool:
        """``name`` is a parameter of a training or evaluation function no code of the file calls
        (``def train(net, train_data, valid_data, ...)``, ``def evaluate(model, loader)`` in a utils
        module): its value is unknown. A training function takes gradients itself, so no caller can
        have switched them off around it; an evaluation function's callers could have, and the
        finding says so."""
        scope = function.binding_scope(name)
        return (scope is not None and name in scope.params and not scope.is_method
                and not self.script.call_sites_of(scope)
                and (self.script.function_trains(scope) or self.is_eval_function(scope)))

    def _has_module_evidence(self, key: frozenset) -> bool:
        for method in MODULE_EVIDENCE:
            for site in self.script.calls_by_method.get(method, []):
                receiver = site.receiver
                if receiver is not None and self.key(receiver, site.function) & key:
                    return True
        return False

    def forward(self, site: CallSite) -> Forward | None:
        """The forward pass a call runs: ``model(x)``, ``self.model(x)``, ``model.forward(x)``, and a
        model method that runs the network on its input (``model.encode(x, edge_index)`` of PyG's
        GAE, ``model.inference(src, tgt)``; see ``_runs_network``)."""
        func = site.node.func
        if site.method == "forward" and type(func) is cst.Attribute:
            func = func.value
            if dotted(func) == "self" and self.model(func, site.function) is None:
                return self._trainer_forward(site)
        elif _forward_like(site.method) and type(func) is cst.Attribute and site.node.args and self._runs_network(site):
            func = func.value
        elif type(func) is cst.Attribute and site.node.args and self._own_network_method(site):
            func = func.value
        elif self.script.callee(site) is not None:
            return None
        model = self.model(func, site.function)
        if model is None or not site.node.args and not model.known:
            return None  # `model()` with no input: a forward only of a module built in the file
        return Forward(site, model)

    def _trainer_forward(self, site: CallSite) -> Forward | None:
        """``self.forward(images, targets)`` in a trainer class (no module) whose ``forward`` runs the
        network it holds (``outputs = self.net(images)``) and switches no gradients: that forward
        pass, made at this call."""
        callee = self.script.callee(site)
        if callee is None or callee is site.function or self._switches_gradients(callee):
            return None
        inner = [found for found in (self.forward(other) for other in callee.calls if other.node.args
                                     and (dotted(other.node.func) or "").startswith("self."))
                 if found is not None]
        return Forward(site, inner[0].model, callee.name) if len(inner) == 1 else None

    def _own_network_method(self, site: CallSite) -> bool:
        """``model.accuracy(x_test, y_test)`` with a method of the model's class in this file that
        runs one of the model's own layers on what it is handed (``self.logits(x)``, ``self(x)``,
        or another such method), trains nothing and switches no gradients: the course style
        whose model has ``logits`` / ``loss`` / ``accuracy`` methods and no ``forward``."""
        if site.method in _MODULE_API:
            return False
        model = self.model(site.node.func.value, site.function)
        if model is None:
            return False
        for obj in model.objs:
            cls = self.script.classes.get(obj.qualname) if not self.script.is_imported(obj.call.func) else None
            method = self.script.method_of_class(cls, site.method) if cls is not None else None
            if method is not None:
                return self._runs_own_layers(cls, method, 0)
        return False

    def _runs_own_layers(self, cls: ClassInfo, method: FunctionInfo, depth: int) -> bool:
        if depth > 3 or len(method.params) < 2 or self.script.function_trains(method) or self._switches_gradients(method):
            return False
        for inner in method.calls:
            name = dotted(inner.node.func) or ""
            if not name.startswith("self") or not inner.node.args:
                continue
            if name in ("self", "self.forward"):
                return True
            attr = name[5:]
            if "." not in attr and attr in cls.attrs and attr not in cls.methods:
                return True  # `self.logits(x)` with `self.logits = nn.Sequential(...)`
            other = self.script.method_of_class(cls, attr) if "." not in attr else None
            if other is not None and other is not method and self._runs_own_layers(cls, other, depth + 1):
                return True
        return False

    def _runs_network(self, site: CallSite) -> bool:
        """``model.encode(x)`` runs the network the way ``model(x)`` does: a method of the model's
        class in this file that switches no gradients itself, or, for a class from a library or
        another module, one of the names that mean it (``encode``, ``decode``, ``inference``,
        ``forward_features``, ``extract_features``: PyG's autoencoders, timm's backbones, seq2seq
        models). ``predict`` counts only where its body can be read (it often turns gradients off)."""
        script = self.script
        model = self.model(site.node.func.value, site.function)
        if model is None:
            return False
        for obj in model.objs:
            cls = script.classes.get(obj.qualname) if not script.is_imported(obj.call.func) else None
            method = script.method_of_class(cls, site.method) if cls is not None else None
            if method is not None:
                return not self._switches_gradients(method)
        return site.method in _LIBRARY_FORWARD_LIKE or site.method.startswith("forward_")

    def _switches_gradients(self, function: FunctionInfo) -> bool:
        script = self.script
        return any(script.resolve_dotted(decorator) in _GRAD_SWITCHES or names_no_grad(script.resolve_dotted(decorator))
                   for decorator in function.decorators) or any(
            script.qualname(inner.node.func) in _GRAD_SWITCHES for inner in function.calls)

    def helper_forward(self, site: CallSite) -> Forward | None:
        """The forward pass a call runs through a helper of this file that is handed the model
        (``loss, acc = run_batch(model, batch)``, the step shared by the training and the
        validation loop; also a helper that hands it on to another, ``network_pass(net, ...)``
        calling ``forward_pass(net, ...)``), as the caller's: the model is the argument, the mode and
        gradients those of the call. Not a helper that trains at this call (one that trains only
        by a flag the call turns off, ``train=False``, does not), evaluates on its own (an
        evaluation function is a region of its own), or switches gradients around its forward
        pass."""
        target = self.script.callee(site)
        if target is None or target is site.function or self.script.site_trains(site):
            return None
        if "model parameter" not in target.memo:  # once per helper: every call of it asks
            target.memo["model parameter"] = self._model_parameter(target, 0)
        parameter = target.memo["model parameter"]
        argument = target.argument(site, parameter) if parameter is not None else None
        model = self.model(argument, site.function) if argument is not None else None
        if model is None and target.cls is not None and target.cls is site.function.cls:
            model = self._own_model_run(target)  # `self._shared_step(batch)` running `self.model(x)`
        return Forward(site, model, target.name) if model is not None else None

    def whole_pass_beside_batches(self, region: EvalRegion) -> bool:
        """A single evaluation pass over a whole tensor of the file's data (``y_pred =
        model(X_test)``) in a file whose training walks batches: its graph holds every activation
        of the split at once, more than a training step. Not a slice of the data, nor what a
        caller hands the function (one review or one spectrogram to predict)."""
        site = region.forwards[0].site
        first = call_arg(site.node, 0, None)
        if first is None or type(first) is cst.Subscript or self._from_parameter(first, site.function, 0):
            return False
        script = self.script
        return any(script.is_batch_loop(loop) and script.loop_trains(loop) for loop in script.loops)

    def _from_parameter(self, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> bool:
        """``expr`` is computed from a parameter of ``function``, through its assignments."""
        for name in names_in(expr):
            if name in function.params:
                return True
            if depth < 4 and any(self._from_parameter(assignment.value, function, depth + 1)
                                 for assignment in function.bindings.get(name, ())):
                return True
        return False

    def _own_model_run(self, target: FunctionInfo) -> Model | None:
        """The model a method runs from its own instance (``logits = self.model(wav)`` in a
        trainer's ``_shared_step``), outside gradient switches and evaluation loops of its own."""
        if "own model" in target.memo:
            return target.memo["own model"]
        found = None
        if not self.is_eval_function(target) and not self.framework_managed(target):
            for inner in target.calls:
                func = inner.node.func
                if inner.method == "forward" and type(func) is cst.Attribute:
                    func = func.value
                if (type(func) is cst.Attribute and dotted(func.value) == "self" and inner.node.args
                        and self._local_grad(inner) is None and inner.loop is None):
                    found = self.model(func, target)
                    if found is not None:
                        break
        target.memo["own model"] = found
        return found

    def _model_parameter(self, target: FunctionInfo, depth: int) -> str | None:
        """The parameter a helper runs as a model, directly (``net(images)``) or by handing it on to
        another such helper; None for a helper that evaluates or is run by a framework."""
        script = self.script
        if not target.params or depth > 3 or self.is_eval_function(target) or self.framework_managed(target):
            return None
        for inner in target.calls:
            func = inner.node.func
            if inner.method == "forward" and type(func) is cst.Attribute:
                func = func.value
            if type(func) is cst.Name and func.value in target.params and inner.node.args:
                if self._local_grad(inner) is None and not any(
                        self.is_eval_loop(loop) for loop in script.enclosing_loops(inner.loop)):
                    return func.value  # else gradients set in the helper, or its own evaluation loop
                continue
            callee = script.callee(inner)
            if callee is None or callee is target or inner.loop is not None or (
                    script.site_trains(inner) and not self._hands_flag_on(inner, callee, target)):
                continue
            handed = self._model_parameter(callee, depth + 1)
            argument = callee.argument(inner, handed) if handed is not None else None
            if type(argument) is cst.Name and argument.value in target.params:
                return argument.value
        return None

    def _hands_flag_on(self, inner: CallSite, callee: FunctionInfo, target: FunctionInfo) -> bool:
        """``forward_pass(net, x, y, train=train)`` in ``network_pass``: the inner call trains only
        when ``target``'s own flag is on, which its callers decide (``site_trains`` of their call)."""
        found = self.script.training_flag(callee)
        value = callee.argument(inner, found[0]) if found is not None else None
        return type(value) is cst.Name and value.value in target.params

    # modes -------------------------------------------------------------------------------
    def mode_call(self, site: CallSite) -> tuple[str, Model] | None:
        """``m.eval()`` -> ('eval', m); ``m.train()`` / ``m.train(True)`` -> 'train';
        ``m.train(False)`` -> 'eval'; ``m.train(flag)`` -> 'unknown'. None when the call is not
        ``nn.Module.train``/``eval`` (``trainer.train(epochs)``, ``evaluator.eval()``)."""
        mode = switched_mode(site)
        if mode is None:
            return None
        # `model.to(device).train()` switches `model`; `ddp_model.module.eval()` the wrapped model
        receiver = self.unwrap(site.receiver)
        model = None
        if type(receiver) is cst.Attribute and receiver.attr.value == "module":
            model = self.model(receiver.value, site.function)
        # `self.module.eval()` in a wrapper class that keeps its network as `self.module`
        model = model or self.model(receiver, site.function)
        if model is None and mode == "train" and type(receiver) is cst.Attribute:
            # `model.head.train()` each epoch, the frozen encoder left in eval on purpose: the part
            # that holds the dropout trains again, whatever the rest is
            whole = self.model(self.unwrap(receiver.value), site.function)
            return ("unknown", whole) if whole is not None else None
        if model is None:
            return None
        return mode, model

    def events_in(self, function: FunctionInfo, key: frozenset, stack: frozenset = frozenset()) -> list[tuple[int, ModeEvent]]:
        """Mode events of the model ``key`` in ``function``, with their traversal order."""
        cache_key = (id(function), key)
        if not stack and cache_key in self._events_cache:
            return self._events_cache[cache_key]
        stack = stack | {id(function)}
        out: list[tuple[int, ModeEvent]] = []
        for site in function.calls:
            found = self.mode_call(site)
            if found is not None:
                if found[1].same(key):
                    out.append((site.order, ModeEvent(found[0], site.node, site)))
                    self._event_statements[site.order] = site.statement
                continue
            target = self.script.callee(site) or self._initializer(site)
            if target is None or id(target) in stack or len(stack) > MAX_DEPTH:
                continue
            summary = self.summary(target, key, stack)
            if summary is not None:
                out.append((site.order, summary))
                self._event_statements[site.order] = site.statement
        for assignment in self._assigns_by_function.get(id(function), []):
            value = self.unwrap(assignment.value)
            if value is assignment.value and type(value) not in (cst.Call, cst.Subscript):
                continue
            if id(value) in key and not self._hands_back_parameter(value):
                mode = self._construction_mode(value, assignment.function)
                out.append((assignment.order, ModeEvent(mode, value, construction=True)))
                self._event_statements[assignment.order] = assignment.statement
        out.sort(key=lambda item: item[0])
        if len(stack) == 1:
            self._events_cache[cache_key] = out
        return out

    def _initializer(self, site: CallSite) -> FunctionInfo | None:
        """The ``__init__`` a call of a class of the file runs (``trainer = Trainer(cfg)`` building
        ``self.model = AlexNet()``: a new module, in training mode, until a method switches it)."""
        if site.name is None or "." in site.name or self.script.is_imported(site.node.func):
            return None
        cls = self.script.classes.get(site.name)
        return self.script.method_of_class(cls, "__init__") if cls is not None else None

    def _hands_back_parameter(self, value: cst.BaseExpression) -> bool:
        """``model, optimizer, loss = train(model, ...)`` with a helper of the file that returns
        what it was handed (``return model, optimizer, epoch_loss``): the same module comes back,
        in the mode the helper left it in, not a new one."""
        if type(value) is cst.Subscript:  # the element an unpacking takes: `train(model, ...)[0]`
            value = value.value
        site = self.script.site_of(value) if type(value) is cst.Call else None
        target = self.script.callee(site) if site is not None else None
        if target is None or not target.returns:
            return False
        for returned in target.returns:
            parts = [element.value for element in returned.elements] if type(returned) is cst.Tuple else [returned]
            if not any(type(part) is cst.Name and part.value in target.params for part in parts):
                return False
        return True

    def _construction_mode(self, value: cst.BaseExpression, function: FunctionInfo) -> str:
        """A module built by a known constructor is in training mode; anything else (a loaded or
        copied model, an unknown factory) may be in either."""
        if type(value) is not cst.Call or LOADED.search(dotted(value.func) or ""):
            return "unknown"
        return "train" if isinstance(self._classify(Bound(value, function)), tuple) else "unknown"

    def summary(self, function: FunctionInfo, key: frozenset, stack: frozenset = frozenset()) -> ModeEvent | None:
        """The mode ``function`` leaves the model in (its last mode event), None when it sets none."""
        cache_key = (id(function), key)
        if cache_key in self._summary_cache:
            return self._summary_cache[cache_key]
        events = self.events_in(function, key, stack)
        result = events[-1][1] if events else None
        if result is not None and result.via_loop is not None:
            result = ModeEvent(result.mode, result.origin, result.site, result.construction)
        self._summary_cache[cache_key] = result
        return result

    def mode_at(self, site: CallSite, key: frozenset | Model) -> list[ModeEvent]:
        """The mode events that may reach ``site`` for the model ``key``."""
        if isinstance(key, Model):
            key = key.key
        return self._reaching(site.order, site.loop, site.function, key, site.statement)

    def _reaching(self, order: int, loop: LoopInfo | None, function: FunctionInfo, key: frozenset,
                  statement: cst.CSTNode) -> list[ModeEvent]:
        events = self.events_in(function, key)
        orders = [at for at, _ in events]
        carried: list[ModeEvent] = []
        position = order
        while loop is not None and loop.function is function:
            before, complete = self._last_reaching(function, events, orders, loop.order, position, statement)
            carried += before
            if complete:
                return carried
            after = _last_between(events, orders, position, loop.end_order)
            if after is not None:
                carried.append(after.carried_by(loop))
            position = loop.order
            loop = loop.parent
        before, complete = self._last_reaching(function, events, orders, None, position, statement)
        if complete:
            return carried + before
        return carried + before + list(self._entry(function, key))

    def _last_reaching(self, function: FunctionInfo, events: list[tuple[int, ModeEvent]], orders: list[int],
                       low: int | None, high: int, statement: cst.CSTNode) -> tuple[list[ModeEvent], bool]:
        """The last of ``events`` strictly between ``low`` and ``high`` that reaches ``statement``,
        and whether it settles the mode (True) or earlier events reach too (False). An event that
        runs only under a one-armed ``if`` not holding ``statement`` (``if args.test_only:
        net.eval()``) settles nothing: what reaches that ``if`` reaches ``statement`` too, and when
        the ``if`` body leaves (``return``, ``sys.exit()``...) the event itself does not. A test of
        the model's own mode (``if model.training: model.eval()``) guards nothing, nor one that
        ``statement`` runs under as well (``if encoder is not None: encoder.eval()``, then ``if
        encoder is not None: imgs = encoder(imgs)``)."""
        found: list[ModeEvent] = []
        places = statement_places(function)
        guards = one_armed_ifs(function)
        place = places.get(id(statement), ((), ()))
        around = set(place[0])
        # the statement's own conditions: a switch under the same test runs whenever it does
        held = {code_of(test) for test in place[1]}
        while True:
            index = bisect_left(orders, high) - 1
            if index < 0 or (low is not None and orders[index] <= low):
                return found, False
            at, event = events[index]
            place = places.get(id(self._event_statements.get(at)))
            guard = next((guards.get(block) for block in place[0] if block not in around), None) if place else None
            if (guard is None or id(guard) not in self.script.if_positions
                    or reads_attribute(guard.test, "training") or code_of(guard.test) in held):
                return found + [event], True
            if not block_leaves(guard.body):
                found.append(event)
            high = self.script.if_positions[id(guard)][0]

    def _entry(self, function: FunctionInfo, key: frozenset) -> tuple[ModeEvent, ...]:
        """The mode events that may reach the start of ``function``: those reaching each of its
        call sites, worked out once per function (following every path through the callers again
        at each call was exponential in the depth of the helpers). A function met again while its
        answer is being worked out (a recursion), or MAX_CALL_DEPTH callers deep, contributes
        'unknown'."""
        cache_key = (id(function), key)
        found = self._entry_cache.get(cache_key)
        if found is not None:
            return found
        if (function.is_module or self.framework_managed(function) or cache_key in self._entering
                or len(self._entering) >= MAX_CALL_DEPTH):
            return (UNKNOWN_EVENT,)
        sites = self.script.call_sites_of(function)
        if not sites:
            return (UNKNOWN_EVENT,)
        self._entering.add(cache_key)
        try:
            out: list[ModeEvent] = []
            for site in sites:
                out += self._reaching(site.order, site.loop, site.function, key, site.statement)
        finally:
            self._entering.discard(cache_key)
        found = self._entry_cache[cache_key] = _distinct_events(out)
        return found

    def under_model_context(self, site: CallSite, model: Model) -> bool:
        """The call runs inside ``with something(model):`` that is not a known torch manager: a
        custom ``evaluating(model)`` context that may switch mode and gradients itself."""
        for manager in site.withs:
            qualname = self.script.qualname(manager.func) or ""
            if qualname.startswith("torch."):
                continue
            receiver = manager.func.value if type(manager.func) is cst.Attribute else None
            candidates = [arg.value for arg in manager.args] + ([receiver] if receiver is not None else [])
            for candidate in candidates:
                if self.key(candidate, site.function) & model.key:
                    return True
        return False

    # gradients ---------------------------------------------------------------------------
    def grad_at(self, site: CallSite) -> str:
        """'off' (no_grad, inference_mode, set_grad_enabled(False or an expression)), 'enabled'
        (explicit enable_grad / set_grad_enabled(True): the code wants gradients), 'on', or
        'unknown' (the function's callers are not in this file). Module code and functions that
        train start with gradients on."""
        return self._grad(site)

    def _grad(self, site: CallSite) -> str:
        local = self._local_grad(site)
        if local is not None:
            return local
        function = site.function
        if function.is_module or self.script.function_trains(function):
            # a function that trains cannot be entered with gradients off
            return "on"
        return self._entry_grad(function)

    def _local_grad(self, site: CallSite) -> str | None:
        """The gradient state the call's own function sets around it (a ``with``, a decorator, an
        earlier ``set_grad_enabled``); None when it sets none, and its callers decide."""
        script = self.script
        for manager in reversed(site.withs):
            state = self._grad_manager(manager)
            if state is not None:
                return state
        for scope in site.function.scopes():
            for decorator in scope.decorators:
                qualname = script.resolve_dotted(decorator)
                if qualname in NO_GRAD or names_no_grad(qualname):
                    return "off"
                if qualname in ENABLE_GRAD:
                    return "enabled"
        switches = [
            other for other in site.function.calls
            if other.order < site.order and script.qualname(other.node.func) in SET_GRAD
            and not any(manager is other.node for manager in other.withs)
        ]
        if switches:
            value = literal(call_arg(switches[-1].node, 0, "mode"))
            return "enabled" if value is True else "off"
        return None

    def outside_entry(self, function: FunctionInfo) -> FunctionInfo | None:
        """The function no code of this file calls through which ``function`` is entered: itself
        (a helper module's ``evaluate(model, loader)``), or the uncalled wrapper it runs under
        (``def test_model(self): self._test_model(weights)``, a wrapper that switches no gradients
        and trains nothing, so it hands on the state its own callers, out of sight, enter it with).
        None when a call of it is in sight: module code, a function that trains, a gradient switch
        around the call, or a framework hook."""
        return self._outside_entry(function, set())

    def _outside_entry(self, function: FunctionInfo, path: set[int]) -> FunctionInfo | None:
        if function.is_module or self.is_test_suite or self.framework_managed(function):
            return None
        sites = self.script.call_sites_of(function)
        if not sites:
            return function
        if id(function) in path or len(path) >= MAX_CALL_DEPTH:
            return None
        path.add(id(function))
        try:
            entries = []
            for site in sites:
                if self._local_grad(site) is not None or self.script.function_trains(site.function):
                    return None
                entry = self._outside_entry(site.function, path)
                if entry is None:
                    return None
                entries.append(entry)
        finally:
            path.discard(id(function))
        return entries[0]

    def _entry_grad(self, function: FunctionInfo) -> str:
        """The gradient state ``function`` is entered with, from all its call sites; worked out
        once per function, 'unknown' for a function met again while it is being worked out (a
        recursion) or MAX_CALL_DEPTH callers deep."""
        found = self._entry_grad_cache.get(id(function))
        if found is not None:
            return found
        if (id(function) in self._entering_grad or len(self._entering_grad) >= MAX_CALL_DEPTH
                or self.framework_managed(function)):
            return "unknown"
        sites = self.script.call_sites_of(function)
        if not sites:
            return "unknown"
        self._entering_grad.add(id(function))
        try:
            states = {self._grad(other) for other in sites}
        finally:
            self._entering_grad.discard(id(function))
        if "on" in states:
            found = "on"
        elif "unknown" in states:
            found = "unknown"
        else:
            found = "enabled" if "enabled" in states else "off"
        self._entry_grad_cache[id(function)] = found
        return found

    def _grad_manager(self, manager: cst.Call) -> str | None:
        qualname = self.script.qualname(manager.func)
        if qualname in NO_GRAD:
            return "off"
        if qualname in ENABLE_GRAD:
            return "enabled"
        if qualname in SET_GRAD:
            return "enabled" if literal(call_arg(manager, 0, "mode")) is True else "off"
        return None

    # regions -----------------------------------------------------------------------------
    def framework_managed(self, function: FunctionInfo) -> bool:
        """Code whose mode and gradients someone else sets: Lightning hooks, the model's own
        methods (``nn.Module`` subclasses), test suites; nested functions of those too."""
        if self.self_training_class(function) is not None:
            return False
        for scope in function.scopes():
            if scope.cls is not None and (scope.name in FRAMEWORK_HOOKS or self._class_managed(scope.cls)):
                return True
        return False

    def _class_managed(self, cls: ClassInfo) -> bool:
        script = self.script
        if script.class_is(cls, catalog.MODULE_BASES):
            return True
        for base in cls.bases:
            resolved = script.resolve_dotted(base)
            if resolved in TEST_SUITE_BASES or "lightning" in resolved.lower() or base.endswith("Module"):
                return True
        return False

    def is_eval_function(self, function: FunctionInfo) -> bool:
        return id(function) in self._eval_functions

    @property
    def _eval_functions(self) -> set[int]:
        if not hasattr(self, "_eval_functions_cache"):
            self._eval_functions_cache = {id(f) for f in self.script.functions if self._evaluates(f)}
        return self._eval_functions_cache

    def _evaluates(self, function: FunctionInfo) -> bool:
        if function.is_module or self.framework_managed(function) or self.script.function_trains(function):
            return False
        named = next((
            scope for scope in function.scopes()
            if not scope.is_module and is_eval_name(scope.name)
            and not (self.is_test_suite and scope.name.lower().startswith("test"))
        ), None)
        if named is None:
            return self._runs_after_own_eval_switch(function)
        if self.script.function_trains(named):
            return False
        if named.loops:
            return True
        # a per-batch helper (`predict(x)`): evaluation only if no training step trains on what it
        # returns (a full-batch `test(model, data)` every 10 epochs of a graph's epoch loop evaluates)
        return not any(self.in_training_step(site) and self._trained_on(site) for site in self.script.call_sites_of(named))

    def switches_to_eval(self, function: FunctionInfo) -> bool:
        """``function`` puts a model in evaluation mode itself, outside its loops."""
        return bool(self._eval_switches.get(id(function)))

    def _runs_after_own_eval_switch(self, function: FunctionInfo) -> bool:
        """``function`` puts a model in evaluation mode itself, outside its loops, and then runs
        that model in one of its loops (``model.eval(); for x in loader: probs.append(model(x))``
        in a ``create_submission(model, loader)``): whatever its name, that is an evaluation pass.
        Matched on the spelling of the model (``model``, ``self.net``): the regions are being
        worked out, so no binding is resolved here."""
        switched = self._eval_switches.get(id(function))
        if not switched or not function.loops:
            return False
        for site in function.calls:
            if site.loop is None:
                continue
            order = switched.get(_spelled_model(site))
            if order is not None and order < site.order:
                return True
        return False

    @cached_property
    def _eval_switches(self) -> dict[int, dict[str, int]]:
        """Per function (by id), the models it switches to evaluation mode outside its loops, as
        spelled there, with the order of the first switch."""
        out: dict[int, dict[str, int]] = {}
        for key, switches in self._mode_switches.items():
            for order, name, mode in switches:
                if mode == "eval":
                    found = out.setdefault(key, {})
                    found[name] = min(order, found.get(name, order))
        return out

    def loop_split(self, loop: LoopInfo) -> Split | None:
        """The split of the data a loop walks, when known. A helper's loop over a parameter takes
        the splits of every call site: called on the validation loader too, it evaluates there
        (even if it also measures the training data)."""
        script = self.script
        batches = script.index_batches(loop)
        sources = list(batches.data) if batches is not None else [script.loop_source(loop)]
        splits = set()
        for source in sources:
            if source is None:
                return None
            judged = split_at_binding(script, source, loop.function)  # `get_loader(split="valid")`
            found = {judged.split} if judged is not None else {
                self._bound_split(bound) for bound in script.values(source, loop.function)}
            if found == {None}:
                # values that say nothing (`train_iter, dev_iter, test_iter = data.BucketIterator.splits(...)`):
                # the name the loop walks decides, as it does for a name with no known value
                found = {split_from_name(dotted(source))}
            if found == {None}:
                found = self._argument_splits(source, loop.function)
            splits |= found
        held_out = splits & HELD_OUT
        if held_out:
            return Split.TEST if held_out == {Split.TEST} else Split.VALIDATION
        return splits.pop() if len(splits) == 1 else None

    def _argument_splits(self, source: cst.BaseExpression, function: FunctionInfo) -> set[str | None]:
        """A helper's parameter whose values say nothing: the names its callers pass decide
        (``pass_data_iteratively(model, test_graphs)``, ``test_graphs`` unpacked from a call)."""
        if type(source) is not cst.Name or source.value not in function.params:
            return {None}
        return {split_from_name(dotted(argument))
                for argument, _ in self.script.arguments_for(function, source.value)} or {None}

    def _bound_split(self, bound: Bound) -> str | None:
        for loader in dataloaders(self.script):
            if bound.expr is loader.call:
                return loader.split
        return dataset_split(self.script, bound.expr, bound.function)

    def is_eval_loop(self, loop: LoopInfo) -> bool:
        if self.framework_managed(loop.function) or self.script.loop_trains(loop):
            return False
        split = self.loop_split(loop)
        return split in HELD_OUT or split is None and self._runs_after_eval_switch(loop)

    def _runs_after_eval_switch(self, loop: LoopInfo) -> bool:
        """A batch loop over data of no known split that runs a model whose last mode switch before
        it, outside loops in the same function, put it in evaluation mode (``rc.eval()``, then
        ``for x, y in load_validare: out = rc(x)`` collecting predictions for a confusion
        matrix): the switch says the loop evaluates. Matched on the model's spelling, as
        ``_runs_after_own_eval_switch`` does."""
        switches = self._mode_switches.get(id(loop.function), ())
        if not any(mode == "eval" and order < loop.order for order, _, mode in switches):
            return False
        if not self.script.is_batch_loop(loop):
            return False
        for site in loop.calls:
            name = _spelled_model(site)
            if name is None:
                continue
            last = max((event for event in switches if event[1] == name and event[0] < loop.order), default=None)
            if last is not None and last[2] == "eval":
                return True
        return False

    @cached_property
    def _mode_switches(self) -> dict[int, list[tuple[int, str, str]]]:
        """Per function (by id), its mode switches outside loops: (order, model as spelled, mode)."""
        out: dict[int, list[tuple[int, str, str]]] = {}
        for method in ("eval", "train"):
            for site in self.script.calls_by_method.get(method, ()):
                mode = switched_mode(site) if site.loop is None else None
                name = dotted(site.receiver) if mode is not None else None
                if name is not None:
                    out.setdefault(id(site.function), []).append((site.order, name, mode))
        return out

    def in_training_step(self, site: CallSite) -> bool:
        """The call runs in a training step: its loop body (or its loop-free function body)
        runs ``backward()`` / ``optimizer.step()`` directly or via a loop-free helper."""
        scope_key = id(site.loop) if site.loop is not None else id(site.function)
        found = self._step_cache.get(scope_key)
        if found is None:
            found = self._step_cache[scope_key] = self._scope_trains(site.function, site.loop)
        return found

    def trained_alongside(self, site: CallSite, model: Model) -> bool:
        """A training pass of ``model`` runs before the call in its function, or in a loop of that
        function that also carries the call (the epoch loop that trains, then validates): with no
        mode switch on the way, the call runs in the mode training runs in."""
        outer = site.loop
        while outer is not None and outer.parent is not None and outer.parent.function is site.function:
            outer = outer.parent
        if outer is not None and outer.function is not site.function:
            outer = None
        for other in site.function.calls:
            if other is site or not (other.order < site.order or (outer is not None and outer.contains(other.loop))):
                continue
            if self.in_training_step(other):
                forward = self.forward(other) or self.helper_forward(other)
                if forward is not None and forward.model.same(model):
                    return True
            if self._trains_handed(other, model):
                return True
        return False

    def _trains_handed(self, site: CallSite, model: Model) -> bool:
        """The call hands ``model`` to a training routine of the file (``train_epoch(model, ...)``,
        ``network_pass(net, ..., train=True)``)."""
        target = self.script.callee(site)
        if target is None or target is site.function or not self.script.site_trains(site):
            return False
        for arg in site.node.args:
            handed = self.model(arg.value, site.function)
            if handed is not None and handed.same(model):
                return True
        return False

    def training_basis(self, site: CallSite) -> Basis:
        """How the call's training step was established: resolved when its scope calls
        ``backward()`` or steps an optimizer the analysis resolved (directly or in a helper it
        runs), guessed when only an ``x.step()`` named like an optimizer says it trains."""
        function, loop = site.function, site.loop
        scope = loop.calls if loop is not None else [c for c in function.calls if c.loop is None]
        guesses = RESOLVED
        for other in scope:
            if other.method == "backward":
                return RESOLVED
            basis = self.script.step_basis(other)
            if basis is not None:
                if basis.resolved:
                    return RESOLVED
                guesses = guesses | basis
            target = self.script.callee(other)
            if target is not None and target is not function and self.script.function_trains(target):
                return RESOLVED
        return guesses

    def _scope_trains(self, function: FunctionInfo, loop: LoopInfo | None) -> bool:
        script = self.script
        scope = loop.calls if loop is not None else [c for c in function.calls if c.loop is None]
        for other in scope:
            if script.takes_step(other):
                return True
        for other in scope:
            target = script.callee(other)
            if (target is not None and target is not function and script.site_trains(other)
                    and not any(script.is_batch_loop(inner) for inner in target.loops)):
                return True
        return False

    @property
    def eval_regions(self) -> list[EvalRegion]:
        """Every evaluation region, outermost first; a region's forwards exclude nested regions'."""
        if not hasattr(self, "_eval_regions_cache"):
            self._eval_regions_cache = self._find_regions()
        return self._eval_regions_cache

    def _find_regions(self) -> list[EvalRegion]:
        script = self.script
        if not self.uses_torch:
            return []
        owner: dict[int, tuple[FunctionInfo, LoopInfo | None, Split | None]] = {}
        for function in script.functions:
            if not self.is_eval_function(function):
                continue
            root = function
            for scope in function.scopes()[1:]:  # out through the evaluation functions around it
                if not self.is_eval_function(scope):
                    break
                root = scope
            split = next((s for s in (self.loop_split(loop) for loop in function.loops) if s in HELD_OUT), None)
            for site in function.calls:
                owner.setdefault(id(site), (root, None, split))
        for loop in script.loops:
            if not self.is_eval_loop(loop) or self.is_eval_function(loop.function):
                continue
            outer = loop
            while outer.parent is not None and self.is_eval_loop(outer.parent):
                outer = outer.parent
            for site in loop.all_calls():
                owner.setdefault(id(site), (loop.function, outer, self.loop_split(outer)))
        grouped: dict[tuple[int, int], list[Forward]] = {}
        heads: dict[tuple[int, int], tuple[FunctionInfo, LoopInfo | None, str | None]] = {}
        out = []
        for site in script.calls:
            found = owner.get(id(site))
            if found is None:
                region = self._inline_evaluation(site)
                if region is not None:
                    out.append(region)
                continue
            if self.in_training_step(site):
                continue
            forward = self.forward(site) or self.helper_forward(site)
            if forward is None or self.is_shape_check(forward):
                continue
            group = (id(found[0]), id(found[1]))
            heads.setdefault(group, found)
            grouped.setdefault(group, []).append(forward)
        for group, forwards in grouped.items():
            function, loop, split = heads[group]
            out.append(EvalRegion(function, loop, split, tuple(forwards)))
        out.sort(key=lambda region: region.forwards[0].site.order)
        return out

    def _inline_evaluation(self, site: CallSite) -> EvalRegion | None:
        """A forward pass on validation or test data outside any evaluation function or loop
        (``test_output = model(test_x)`` inside the training loop, a comprehension over
        ``X_val``), unless its output is trained on."""
        if not site.node.args or not self._held_out_names or self.is_test_suite or not self._may_call_model(site):
            return None
        by_input = self._mentions_held_out(site)
        output = None if by_input else _output_name(site)
        split = None if output is None else self._read_split(site, output)
        if not by_input and split is None and output is None:
            split = _indexed_split(site)  # `accuracy(model(g, features)[test_mask], ...)`
        if not by_input and split is None:
            return None
        forward = self.forward(site)
        if forward is None or self.is_shape_check(forward) or self.framework_managed(site.function):
            return None
        if by_input:
            split = self._input_split(site)
            if split not in HELD_OUT or self._trained_on(site):
                return None
        elif self._trained_later(site, output):
            return None
        return EvalRegion(site.function, None, split, (forward,), site.statement)

    def _read_split(self, site: CallSite, name: str) -> Split | None:
        """The held-out split a forward pass over the whole data is read at: ``output = model(features,
        adj)`` then ``F.nll_loss(output[idx_val], labels[idx_val])`` (one graph or one table, the
        splits being index sets or masks), when the reads that index the output, before it is
        assigned again, all name the same held-out split."""
        function = site.function
        end = min((a.order for a in function.bindings.get(name, ()) if a.order > site.order), default=None)
        splits: set[Split | None] = set()
        # the output's own reads; else those of the predictions made of it (`pred = out.argmax(1)`)
        for names in ([name], _derived_names(function, name, site.order, end)):
            for read in names:
                if f"{read}[" in self.script.source:  # (the cheap test first)
                    splits |= {split for other, split in self._indexed_reads(site, read)
                               if end is None or other.order <= end}
            if splits:
                break
        return splits.pop() if len(splits) == 1 and splits <= HELD_OUT else None

    def _indexed_reads(self, site: CallSite, name: str) -> Iterator[tuple[CallSite, Split | None]]:
        """Each index read of ``name`` (``output[idx_val]``) in the statements after ``site`` in its
        function, with the statement's first call and the split the index names (None: none)."""
        walked: set[int] = set()
        for other in site.function.calls:
            if other.order <= site.order or id(other.statement) in walked:
                continue
            walked.add(id(other.statement))
            for index in _indexes_of(other.statement, name):
                yield other, next((split_from_name(n) for n in names_in(index) if split_from_name(n)), None)

    @cached_property
    def held_out_reads_of_training_output(self) -> list[tuple[Forward, cst.CSTNode, Split]]:
        """A validation measured on the training forward pass: ``output = model(X, A)`` is trained
        on (a ``backward()`` follows in the same loop) and read at a held-out index before it is
        assigned again (``val_loss = F.nll_loss(output[val_idx], ...)``), the way full-batch graph
        training is written without pygcn's ``if not args.fastmode: model.eval(); output =
        model(...)`` (which assigns the output again). The forward pass and the statement that
        reads the held-out part, with its split."""
        script = self.script
        if not self._held_out_names or self.is_test_suite:
            return []
        out = []
        for site in script.calls:
            name = _output_name(site) if site.node.args and self._may_call_model(site) else None
            if name is None or f"{name}[" not in script.source:
                continue
            if not any(other.method == "backward" and other.order > site.order
                       and (site.loop is None or site.loop.contains(other.loop)) for other in site.function.calls):
                continue  # trained on: a backward follows in the same loop
            if self.grad_at(site) == "off":
                continue  # the evaluation pass itself, under no_grad / inference_mode
            read = self._held_out_read(site, name)
            if read is None or any(site.order < assignment.order <= read[2]
                                   for assignment in site.function.bindings.get(name, ())):
                continue  # assigned again in between: pygcn's `model.eval(); output = model(...)`
            forward = self.forward(site)
            if forward is not None and not self.framework_managed(site.function):
                out.append((forward, read[0], read[1]))
        return out

    def _held_out_read(self, site: CallSite, name: str) -> tuple[cst.CSTNode, Split, int] | None:
        """The first statement after ``site`` in its function that indexes ``name`` by a held-out
        index or mask (``output[val_idx]``, ``out[data.val_mask]``), with the split; not one that
        is trained on (``loss = loss + val_loss``, an entropy term over the unlabelled nodes)."""
        feeding = names_feeding_backward(self.script, site.function)
        for other, split in self._indexed_reads(site, name):
            if type(other.statement) is not cst.SimpleStatementLine:
                continue  # a `with` / `if` header: the statements of its body are read one by one
            if split in HELD_OUT and not any(target in feeding for target in assigned_names(other.statement)):
                return other.statement, split, other.order
        return None

    def _trained_later(self, site: CallSite, name: str) -> bool:
        """A gradient is taken after the forward pass whose output is ``name``: later in its function
        (the same code may evaluate and then adapt: leave it to the reader), or earlier in the loop
        around it from ``name`` as the previous round left it (not assigned again before)."""
        function, loop = site.function, site.loop
        for other in function.calls:
            if other.method not in ("backward", "grad"):
                continue
            if other.order > site.order:
                return True
            if (loop is not None and loop.contains(other.loop) and name in names_feeding_backward(self.script, function)
                    and not any(loop.contains(a.loop) and a.order < other.order for a in function.bindings.get(name, ()))):
                return True
        return False

    def _may_call_model(self, site: CallSite) -> bool:
        """``model(x)``, ``self.net(x)``, ``model.forward(x)``: not an imported function, a builtin or
        a method of anything else (the cheap test before resolving the model)."""
        name = site.name
        if name is None or self.script.is_imported(site.node.func) or name in _BUILTINS:
            return False
        return "." not in name or name.count(".") == 1 and (
            name.startswith("self.") or site.method == "forward"
            # `model.accuracy(x_test, y_test)`: a method a class of the file defines (see _own_network_method)
            or site.method in self.script.method_names and site.method not in _MODULE_API)

    def _mentions_held_out(self, site: CallSite) -> bool:
        """An argument, or what its names are assigned in the function, names held-out data."""
        held_out = self._held_out_names
        for arg in site.node.args:
            names = names_in(arg.value)
            if names & held_out and drawn_at_random(self.script, arg.value, site.function):
                continue  # a generator's input drawn at random (`eval_noise`, `test_z`) is no data
            for name in names:
                if name in held_out:
                    return True
                for assignment in site.function.bindings.get(name, ()):
                    if names_in(assignment.value) & held_out:
                        return True
            source = self._comprehension_source(site, arg.value)
            if source is not None and names_in(source) & held_out:
                return True
        return False

    def _comprehension_source(self, site: CallSite, arg: cst.BaseExpression) -> cst.BaseExpression | None:
        """What a comprehension walks when ``arg`` is one of its targets (``xb`` in
        ``[model(xb) for xb, yb in valid_dl]`` -> ``valid_dl``)."""
        name = dotted(arg)
        for targets, source in self.script.comprehension_sources(site):
            if name in targets:
                return source
        return None

    @cached_property
    def _held_out_names(self) -> frozenset[str]:
        """The identifiers of the file that name validation or test data (``X_val``, ``test_x``)."""
        return frozenset(
            name for name in set(_HELD_OUT_IDENTIFIER.findall(self.script.source))
            if split_from_name(name) in HELD_OUT
        )

    def _input_split(self, site: CallSite) -> str | None:
        """The split of a call's data arguments, when they agree. A name the loop around the call
        binds takes the split of what the loop walks: ``for test_inputs, labels in train_loader:``
        feeds training data whatever the names say."""
        splits = {
            self._walked_split(site, arg.value) or self._arg_split(site, arg.value)
            for arg in site.node.args if arg.keyword is None and not arg.star
        }
        return splits.pop() if len(splits) == 1 else None

    def _arg_split(self, site: CallSite, arg: cst.BaseExpression) -> Split | None:
        """The split of one argument: what a comprehension walks, or a name's bindings that reach
        the call (``inputs = X_train[i]`` in the training loop, ``inputs = X_vali[i]`` in the
        validation loop after it: each pass sees its own)."""
        source = self._comprehension_source(site, arg)
        if source is not None:
            return dataset_split(self.script, source, site.function)
        if type(arg) is cst.Name and len(site.function.bindings.get(arg.value, ())) > 1:
            reaching = self.script.values_at(arg, site.function, site.order, site.loop, site.statement)
            splits = {dataset_split(self.script, bound.expr, bound.function) for bound in reaching}
            return splits.pop() if len(splits) == 1 else None
        return dataset_split(self.script, arg, site.function)

    def _walked_split(self, site: CallSite, arg: cst.BaseExpression) -> Split | None:
        if type(arg) is not cst.Name:
            return None
        for loop in self.script.enclosing_loops(site.loop):
            if loop.function is site.function and type(loop.node) is cst.For and arg.value in target_names(loop.node.target):
                return self.loop_split(loop)
        return None

    def _trained_on(self, site: CallSite) -> bool:
        """The output of the call flows into a backward pass (training on held-out data on purpose:
        semi-supervised, test-time adaptation): its value, not only its name, which a training
        step may bind afresh (``y_pred = net(xb)``) before its loss."""
        statement = site.statement
        if any(other.statement is statement and other.method in ("backward", "grad") for other in site.function.calls):
            return True
        feeding = names_feeding_backward(self.script, site.function)
        for target in assigned_names(statement):
            bindings = [a for a in site.function.bindings.get(target, ()) if a.statement is statement]
            if target in feeding and (not bindings or any(binding_feeds_backward(self.script, a) for a in bindings)):
                return True
        return False

    def is_shape_check(self, forward: Forward) -> bool:
        """A forward pass that checks the model's shapes instead of evaluating it: an evaluation
        runs a trained model on held-out data, and here the input is made up on the spot
        (``net(torch.randn(2, 3, 32, 32))``) or the model is built right there and never trained
        or loaded (the ``def test(): net = Net(); y = net(x)`` at the bottom of a model file)."""
        site = forward.site
        data = call_arg(site.node, 0, None)
        if data is not None and self._made_up(data, site.function):
            return True
        return self._untrained_here(site)

    def _made_up(self, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
        """Every value the input may hold is a tensor made from nothing (random, zeros, ones)."""
        script = self.script
        values = script.values(rows_of(script, expr), function)
        for bound in values:
            made = rows_of(script, bound.expr)
            if not (type(made) is cst.Call and script.qualname(made.func) in catalog.MADE_UP_TENSORS):
                return False
        return bool(values)

    def _untrained_here(self, site: CallSite) -> bool:
        """The model is built in this very function, which neither trains it nor loads weights."""
        function = site.function
        if function.is_module or self.script.function_trains(function):
            return False
        bounds = self.bounds(site.node.func, function)
        if not bounds or not all(bound.function is function and isinstance(self._classify(bound), tuple)
                                 for bound in bounds):
            return False
        key = self.key(site.node.func, function)
        return not any(
            other.method in LOADING_METHODS and other.receiver is not None
            and self.key(other.receiver, function) & key
            for other in function.calls
        )

    def anchor(self, region: EvalRegion, forward: Forward) -> tuple[cst.CSTNode, cst.CSTNode]:
        """Where a finding about an evaluation pass points, and its statement: the outermost loop
        of the region around the forward pass (where `model.eval()` / `torch.no_grad()` go), else
        the forward call itself."""
        site = forward.site
        if region.statement is not None:
            return site.node, site.statement
        loop = site.loop
        outer = None
        while loop is not None and loop.function is site.function:
            if region.loop is None or region.loop.contains(loop):
                outer = loop
            loop = loop.parent
        if outer is None:
            return site.node, site.statement
        return outer.node, outer.node

    @staticmethod
    def anchor_end(forward: Forward, node: cst.CSTNode) -> cst.CSTNode | None:
        """Where the span of a finding anchored at ``node`` (see :meth:`anchor`) ends: the
        statement of the forward pass it is about when ``node`` is the loop around it (the loop's
        header down to the model call, not the whole loop), else the node's own end. The engine
        reports the model call alone where that span would be longer than ``rule.LONG_SPAN``."""
        return forward.site.statement if node is not forward.site.node else None

    def contains(self, region: EvalRegion, site: CallSite) -> bool:
        """``site`` lies in the region: in its statement, its loop, or in its function or a function nested in it."""
        if region.statement is not None:
            return site.statement is region.statement
        if region.loop is not None:
            return region.loop.contains(site.loop)
        return site.function.within(region.function)

    def region_of(self, site: CallSite) -> EvalRegion | None:
        for region in self.eval_regions:
            if any(forward.site is site for forward in region.forwards):
                return region
        return None

    @cached_property
    def phase_evaluations(self) -> list[EvalRegion]:
        """The phase regions (see ``phase_regions``) whose phases do not switch gradients themselves,
        however it is written (``set_grad_enabled(phase == 'train')``, ``no_grad()`` under ``if``).
        A ``with torch.no_grad():`` that holds none of the shared forward passes (the statistics
        after them) switches nothing for them."""
        out = []
        for region in self.phase_regions:
            forwards = {id(forward.site.statement) for forward in region.forwards}
            switches = [site for site in region.loop.all_calls() if site.function is region.loop.function
                        and self.script.qualname(site.node.func) in _GRAD_SWITCHES]
            if not any(type(site.statement) is not cst.With or _holds_any(site.statement, forwards)
                       for site in switches):
                out.append(region)
        return out

    @cached_property
    def phase_regions(self) -> list[EvalRegion]:
        """The held-out phases of a phase loop: ``for phase in ['train', 'val']:`` whose inner loop
        runs the model in every phase while its ``backward()`` / ``step()`` run under ``if phase ==
        'train':`` (the old transfer-learning tutorial's shape). One region per phase loop, holding
        the forward passes that run in every phase, with the held-out phase's split; the loop is
        kept out of ``eval_regions``: the same code also trains, so only questions about the
        held-out phase alone (gradients, a mode switch for it) may be asked of it."""
        script = self.script
        out = []
        for loop in script.loops:
            phases = _phase_names(loop)
            if phases is None or self.framework_managed(loop.function):
                continue
            name, held_out = phases
            calls = [site for site in loop.all_calls() if site.function is loop.function]
            paths = paths_to(loop.node, {id(site.statement) for site in calls}, statements_only=True)
            guarded = {id(site) for site in calls if _under_phase_test(paths.get(id(site.statement), []), name)}
            steps = [site for site in calls if script.takes_step(site)]
            if not steps or any(id(site) not in guarded for site in steps):
                continue  # a phase that is not the training one trains too, or nothing trains here
            forwards = []
            for site in calls:
                if id(site) in guarded or site.loop is loop:
                    continue  # a phase's own code, or the phase set-up outside the batch loop
                forward = self.forward(site)
                if forward is not None and not self.is_shape_check(forward):
                    forwards.append(forward)
            if forwards:
                out.append(EvalRegion(loop.function, loop, held_out, tuple(forwards)))
        return out

    @cached_property
    def phase_shared_sources(self) -> list[tuple[EvalRegion, cst.BaseExpression]]:
        """Phase loops whose batch loop walks the same data in every phase (``for inputs, labels in
        trainloader:`` under ``for phase in ['train', 'val']:``, with no ``dataloaders[phase]``): the
        held-out phase measures the training data. The region with the data it walks."""
        script = self.script
        out = []
        for region in self.phase_regions:
            phase = dotted(region.loop.target)
            inner = {id(forward.site.loop): forward.site.loop for forward in region.forwards
                     if forward.site.loop is not None and forward.site.loop is not region.loop}
            for loop in inner.values():
                source = script.loop_source(loop)
                if (source is None or phase is None or phase in names_in(source)
                        or any(name in loop.function.bindings for name in names_in(source))):
                    continue  # chosen by phase, or bound in the function (possibly by phase)
                out.append((region, source))
        return out

    @cached_property
    def flag_evaluations(self) -> list[FlagEvaluation]:
        """The calls that run a flag-driven epoch function with its flag off on held-out data (see
        ``FlagEvaluation``). The function must step only under ``if flag:`` / ``if flag is not
        None:`` of one parameter, switch no gradients itself, and walk a parameter the call passes
        validation or test data for."""
        out = []
        for function, flag, test, site, split, forward in self._flag_off_calls(False):
            if self.grad_at(site) == "on" and not self.in_training_step(site):
                out.append(FlagEvaluation(site, function, flag, test, split, forward))
        return out

    @cached_property
    def flag_mode_evaluations(self) -> list[tuple[CallSite | None, FlagEvaluation]]:
        """A flag-driven epoch function that switches its model to training mode whatever the flag
        says (``self.model.train(True)`` at the top of ``run_epoch(loader, train)``), called with
        the flag off on held-out data: that evaluation runs in training mode. The mode switch and
        the evaluation call. Also such a call in a file that never switches a mode at all
        (``one_epoch(model, loss_fn, device, val_loader)`` with ``optimizer=None``): the model
        evaluates in the training mode it was built in; with no switch (None)."""
        out = []
        script = self.script
        if not any(self.mode_call(site) is not None for method in ("train", "eval")
                   for site in script.calls_by_method.get(method, ())):
            return [(None, FlagEvaluation(site, function, flag, test, split, forward))
                    for function, flag, test, site, split, forward in self._flag_off_calls(True)]
        switching = {id(site.function) for site in script.calls_by_method.get("train", ())}
        for function, flag, test, site, split, forward in self._flag_off_calls(True, switching):
            switches = [(inner, found) for inner in function.calls
                        if (found := self.mode_call(inner)) is not None and found[1].same(forward.model.key)]
            train = [inner for inner, found in switches if found[0] == "train" and inner.order < forward.site.order
                     and not any(flag in names_in(held) for held in if_tests_holding(inner))]
            if train and len(switches) == len(train):
                out.append((train[-1], FlagEvaluation(site, function, flag, test, split, forward)))
        return out

    def helper_train_switch(self, forward: Forward) -> CallSite | None:
        """The ``model.train()`` a step helper runs first, when an evaluation calls it
        (``def compute_losses(model, x, y): model.train(); out = model(x) ...``, called in the
        training loop and in the validation loop after ``model.eval()``): the switch puts the
        evaluated model back in training mode. Only a helper that training calls too (a helper
        only evaluations call, switching on purpose, is Monte Carlo dropout)."""
        if forward.helper is None:
            return None
        script = self.script
        helper = script.callee(forward.site)
        if helper is None or not any(site.loop is not None and script.loop_trains(site.loop)
                                     for site in script.call_sites_of(helper)):
            return None
        inner = [found for site in helper.calls if site.function is helper and (found := self.forward(site)) is not None]
        for site in helper.calls:
            found = self.mode_call(site) if site.function is helper and not if_tests_holding(site) else None
            if (found is not None and found[0] == "train" and type(site.receiver) is cst.Name
                    and site.receiver.value in helper.params
                    and any(dotted(run.site.node.func) == site.receiver.value and run.site.order > site.order
                            for run in inner)):
                return site
        return None

    def _flag_off_calls(self, grad_switches: bool, among: set[int] | None = None):
        """(function, flag, test, call, split, forward) for each call that runs a flag-driven epoch
        function with its flag off on held-out data (see ``FlagEvaluation``); with
        ``grad_switches``, also functions that switch gradients themselves; ``among``: only these
        functions (by id)."""
        script = self.script
        for function in script.functions:
            if among is not None and id(function) not in among:
                continue
            if function.is_module or not function.loops or not function.params or self.framework_managed(function):
                continue
            found = self._step_flag(function, grad_switches)
            if found is None:
                continue
            flag, test = found
            forwards = [f for f in (self.forward(site) for loop in function.loops for site in loop.calls
                                    if site.function is function) if f is not None and not self.is_shape_check(f)]
            sources = {dotted(script.loop_source(loop)) for loop in function.loops}
            data_params = [name for name in function.params if name in sources]
            # `iterate(epoch, "val")` with `if phase == "train":` steps: the phase names the data
            by_phase = type(test) is cst.Comparison and not data_params
            if not forwards or len(data_params) != 1 and not by_phase:
                continue
            for site in script.call_sites_of(function):
                value = function.argument(site, flag)
                if value is None:
                    value = function.param_default(flag)
                if not flag_off(test, value):
                    continue
                if by_phase:
                    split = split_from_name(literal(value)) if type(literal(value)) is str else None
                else:
                    data = function.argument(site, data_params[0])
                    split = dataset_split(script, data, site.function) if data is not None else None
                if split in HELD_OUT:
                    yield function, flag, test, site, split, forwards[0]

    def _step_flag(self, function: FunctionInfo, grad_switches: bool = False) -> tuple[str, cst.BaseExpression] | None:
        """``(parameter, if-test)`` when every backward and optimizer step of the function runs
        under one ``if`` on one parameter (``if train:``, ``if opt:``, ``if optimizer is not None:``)
        and the function switches no gradients (unless ``grad_switches``)."""
        script = self.script
        if not grad_switches and (any(script.qualname(site.node.func) in _GRAD_SWITCHES for site in function.calls) or any(
                type(d.decorator) is cst.Call and script.qualname(d.decorator.func) in _GRAD_SWITCHES
                for d in function.node.decorators)):
            return None
        steps = [site for site in function.calls if script.takes_step(site)]
        if not steps:
            return None
        paths = paths_to(function.node, {id(site.statement) for site in steps}, statements_only=True)
        flags = {}
        for site in steps:
            path = paths.get(id(site.statement), [])
            found = [flag_test(node.test, function) for node, inner in zip(path, path[1:])
                     if type(node) is cst.If and inner is node.body]
            found = [flag for flag in found if flag is not None]
            if len(found) != 1:
                return None
            flags[(found[0][0], type(found[0][1]))] = found[0]
        return flags.popitem()[1] if len(flags) == 1 else None

    @cached_property
    def train_data_evaluations(self) -> list[EvalRegion]:
        """Loops that run the model over the training data without training (``for x, y in
        train_loader:`` measuring training accuracy after training): nothing in the loop takes a
        gradient, and nothing after it trains on what it computed. Kept out of ``eval_regions``:
        only the gradient question is asked of them (a training-accuracy pass in train mode is a
        choice some make on purpose)."""
        script = self.script
        out = []
        for loop in script.loops:
            function = loop.function
            if (self.framework_managed(function) or self.is_eval_function(function) or script.loop_trains(loop)
                    or any(self.is_eval_loop(outer) or self.loop_split(outer) is Split.TRAIN
                           for outer in script.enclosing_loops(loop.parent))):
                continue
            if self.loop_split(loop) is not Split.TRAIN:
                continue
            calls = [site for site in loop.all_calls() if site.function is function]
            if any(site.method == "grad" for site in calls):
                continue  # `torch.autograd.grad` (backward and steps are ruled out by loop_trains)
            forwards = [forward for forward in (self.forward(site) for site in calls)
                        if forward is not None and not self.is_shape_check(forward)]
            if forwards and not any(self._trained_on(forward.site) or self._collected_for_training(forward.site)
                                    for forward in forwards):
                out.append(EvalRegion(function, loop, Split.TRAIN, tuple(forwards)))
        return out

    def _collected_for_training(self, site: CallSite) -> bool:
        """The output is appended to a list a backward pass later reads (``feats.append(backbone(x))``,
        then a loss over ``torch.cat(feats)``)."""
        feeding = names_feeding_backward(self.script, site.function)
        return any(other.method == "append" and other.statement is site.statement and other.receiver is not None
                   and dotted(other.receiver) in feeding for other in site.function.calls)

    def training_forwards(self) -> Iterable[Forward]:
        """Forward passes in training steps (outside evaluation regions)."""
        in_regions = {id(forward.site) for region in self.eval_regions for forward in region.forwards}
        for site in self.script.calls:
            if id(site) in in_regions or not self.in_training_step(site):
                continue
            if self.framework_managed(site.function):
                continue
            forward = self.forward(site)
            if forward is not None:
                yield forward


def _output_name(site: CallSite) -> str | None:
    """The one name a statement ``name = model(x)`` (or ``model(x).argmax(1)``) binds the output to."""
    statement = site.statement
    if type(statement) is not cst.SimpleStatementLine or type(statement.body[0]) is not cst.Assign:
        return None
    assign = statement.body[0]
    if len(assign.targets) != 1 or type(assign.targets[0].target) is not cst.Name or not _called_on(assign.value, site.node):
        return None
    return assign.targets[0].target.value


def _called_on(expr: cst.BaseExpression, call: cst.Call) -> bool:
    """``expr`` is ``call`` or a chain of methods called on it (``model(x).argmax(1)``)."""
    while expr is not call:
        if type(expr) is not cst.Call or type(expr.func) is not cst.Attribute:
            return False
        expr = expr.func.value
    return True


# what turns a forward pass's output into predictions, row for row
_PREDICTING = frozenset({"argmax", "max", "softmax", "log_softmax", "sigmoid", "topk", "squeeze", "exp"})


def _derived_names(function: FunctionInfo, name: str, start: int, end: int | None) -> list[str]:
    """The names bound, between ``start`` and ``end``, to predictions made of the output ``name``
    row for row: ``pred = out.argmax(dim=1)``, ``_, predicted = torch.max(output, 1)``."""
    out = []
    for assignments in function.bindings.values():
        for assignment in assignments:
            value = assignment.element()[0] if assignment.unpacked and assignment.element() else assignment.value
            if (assignment.order <= start or end is not None and assignment.order > end
                    or type(value) is not cst.Call or assignment.target == "_" or "." in assignment.target):
                continue
            func = value.func
            leaf = func.attr.value if type(func) is cst.Attribute else None
            on_output = (leaf in _PREDICTING and (type(func.value) is cst.Name and func.value.value == name
                                                  or value.args and dotted(value.args[0].value) == name
                                                  and dotted(func.value) in ("torch", "F", "torch.nn.functional")))
            if on_output:
                out.append(assignment.target)
    return out


def _indexed_split(site: CallSite) -> Split | None:
    """The held-out split a forward pass's output is indexed by where it is made: ``model(g,
    features)[test_mask]``."""
    stack: list[cst.CSTNode] = [site.statement]
    while stack:
        node = stack.pop()
        if type(node) is cst.Subscript and node.value is site.node:
            splits = {split_from_name(found) for element in node.slice if type(element.slice) is cst.Index
                      for found in names_in(element.slice.value)}
            splits.discard(None)
            return splits.pop() if len(splits) == 1 and splits <= HELD_OUT else None
        stack.extend(children(node))
    return None


def _indexes_of(expr: cst.BaseExpression, name: str) -> list[cst.BaseExpression]:
    """The index expressions of ``name[...]`` subscripts in ``expr`` (``output[idx_val]`` -> ``idx_val``)."""
    found = []
    stack = [expr]
    while stack:
        node = stack.pop()
        if type(node) is cst.Subscript and type(node.value) is cst.Name and node.value.value == name:
            found.extend(element.slice.value for element in node.slice if type(element.slice) is cst.Index)
        stack.extend(children(node))
    return found


def _last_between(events: list[tuple[int, ModeEvent]], orders: list[int], low: int | None,
                  high: int) -> ModeEvent | None:
    """The last of ``events`` (sorted by order, ``orders`` their orders) strictly between ``low``
    (None: from the start) and ``high``."""
    index = bisect_left(orders, high) - 1
    if index < 0 or (low is not None and orders[index] <= low):
        return None
    return events[index][1]


def _spelled_model(site: CallSite) -> str | None:
    """The model a call with arguments may run, as spelled (``model`` of ``model(x)`` and of
    ``model.forward(x)``); None for a call without arguments."""
    if not site.node.args:
        return None
    func = site.node.func
    if site.method == "forward" and type(func) is cst.Attribute:
        func = func.value
    return dotted(func)


def switched_mode(site: CallSite) -> str | None:
    """The mode a ``train``/``eval`` call asks for, read from its arguments: ``m.eval()`` and
    ``m.train(False)`` -> 'eval', ``m.train()`` / ``m.train(True)`` -> 'train', ``m.train(flag)``
    -> 'unknown'; None when the call is not shaped like ``nn.Module.train``/``eval``."""
    if site.method not in ("train", "eval") or site.receiver is None:
        return None
    args = site.node.args
    if site.method == "eval":
        return None if args else "eval"
    if not args:
        return "train"
    if len(args) > 1 or (args[0].keyword is not None and args[0].keyword.value != "mode") or args[0].star:
        return None
    value = literal(args[0].value)
    if value is True:
        return "train"
    if value is False:
        return "eval"
    return "unknown" if value is ... else None


def _distinct_events(events: list[ModeEvent]) -> tuple[ModeEvent, ...]:
    """``events`` without repeats (the same event reaching through several call sites)."""
    seen: set[tuple] = set()
    out = []
    for event in events:
        key = (event.mode, id(event.origin), id(event.site), event.construction, id(event.via_loop))
        if key not in seen:
            seen.add(key)
            out.append(event)
    return tuple(out)




# debugging runs ------------------------------------------------------------------------------
# Words of a flag that switches a script to a debugging run (`if testing:`, `if args.debug:`,
# `if cfg.fast_dev_run:`, `if dry_run:`). "test" alone is not one: `if args.test:` usually asks
# for an evaluation on the test split.
_DEBUG_WORDS = frozenset({"debug", "debugging", "testing", "smoke", "dry", "sanity", "overfit", "toy", "tiny"})


def debug_branch(script: Script, site: CallSite) -> str | None:
    """The test of the ``if`` whose body holds the call and that turns on a debugging run (the
    text of the test), else None. What such a branch does on purpose (validate on the few
    training samples it loads, to see the model can overfit them) is not the script's real run."""
    for test in if_tests_holding(site):
        name = dotted(test)
        if name is not None and words_of(name.rsplit(".", 1)[-1]) & _DEBUG_WORDS:
            return code_of(test)
    return None


def phase_loop(loop: LoopInfo) -> tuple[str, list[str]] | None:
    """``for phase in ['train', 'val']:``: the loop's name and the phase names it walks, when it
    walks a literal list of strings."""
    if type(loop.target) is not cst.Name or type(loop.iter) not in (cst.List, cst.Tuple):
        return None
    names = [literal(element.value) for element in loop.iter.elements]
    if not names or not all(isinstance(name, str) for name in names):
        return None
    return loop.target.value, names


def _phase_names(loop: LoopInfo) -> tuple[str, Split] | None:
    """The loop's name and the first held-out phase's split, for a phase loop holding one training
    phase and held-out ones (``["train", "val"]``, or ``["train", "val", "test"]`` whose two
    held-out phases run the same lines)."""
    found = phase_loop(loop)
    if found is None:
        return None
    name, names = found
    splits = [split_from_name(phase) for phase in names]
    held_out = [split for split in splits if split in HELD_OUT]
    if splits.count(Split.TRAIN) != 1 or not held_out or len(held_out) + 1 != len(splits):
        return None
    return name, held_out[0]


def _holds_any(statement: cst.With, ids: set[int]) -> bool:
    """Whether a ``with`` statement's body holds one of the statements ``ids`` names."""
    return bool(paths_to(statement.body, ids, statements_only=True))


def _under_phase_test(path: list[cst.CSTNode], name: str) -> bool:
    """A statement inside an ``if`` (either branch) whose test reads the phase name."""
    return any(type(node) is cst.If and name in names_in(node.test) for node in path[:-1])
