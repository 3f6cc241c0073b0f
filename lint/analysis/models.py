"""Shared facts about models: which expression is a model, and which mode-dependent layers
(dropout, batch-norm) it contains.

Part of the shared analysis (with ``fitlint.analysis.script`` and ``fitlint.analysis.data``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.script import MAX_HOPS, ClassInfo, FunctionInfo, Obj, Script, memoized, walk
from fitlint.analysis.catalog import ObjKind


@dataclass(frozen=True)
class Layers:
    """The mode-dependent layers found in a model. ``complete`` is False when the model also uses
    building blocks the analysis cannot see into (imported from elsewhere), so an absence proves
    nothing."""

    kinds: frozenset[str]
    complete: bool

    @property
    def has_mode_dependent(self) -> bool:
        return bool(self.kinds & {"dropout", "batchnorm"})

    @property
    def clearly_none(self) -> bool:
        return self.complete and not self.kinds


UNKNOWN = Layers(frozenset(), False)


def models_of(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo,
              depth: int = 0) -> list[Obj]:
    """The model constructors ``expr`` may be bound to (``.to(device)`` and DataParallel wrappers
    are looked through). Rules ask about the same expressions again and again, so each outermost
    answer is kept on the script."""
    if depth == 0:
        return list(_outermost_models(script, expr, function))
    return _models_of(script, expr, function, depth)


@memoized
def _outermost_models(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> tuple[Obj, ...]:
    return tuple(_models_of(script, expr, function, 0))


def _models_of(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo, depth: int) -> list[Obj]:
    out: list[Obj] = []
    if depth > MAX_HOPS:  # `model = model.to(device)` binds the name to itself
        return out
    for bound in script.values(_unwrap(script, expr), function):
        value = bound.expr
        inner = _unwrap(script, value)
        if inner is not value:
            out += models_of(script, inner, bound.function, depth + 1)
            continue
        obj = script.classify(bound)
        if obj is not None and obj.kind is ObjKind.MODEL:
            out.append(obj)
    return out


_PASSTHROUGH_METHODS = frozenset({"to", "cuda", "cpu", "float", "double", "half", "train", "eval", "requires_grad_"})
_WRAPPERS = frozenset({
    "torch.nn.DataParallel",
    "torch.nn.parallel.DistributedDataParallel",
    "torch.nn.parallel.DataParallel",
    "torch.compile",
})


def _unwrap(script: Script, expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``Net().to(device)`` -> ``Net()``; ``nn.DataParallel(net)`` -> ``net``."""
    while isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in _PASSTHROUGH_METHODS:
            expr = func.value
        elif script.qualname(func) in _WRAPPERS and expr.args:
            expr = expr.args[0].value
        else:
            break
    return expr


def model_layers(script: Script, obj: Obj) -> Layers:
    if obj.qualname in script.classes and not script.is_imported(obj.call.func):
        return class_layers(script, script.classes[obj.qualname])
    if obj.qualname.startswith("torchvision.models."):
        found = catalog.torchvision_model_layers(obj.qualname)
        return UNKNOWN if found is None else Layers(frozenset(found), True)
    if obj.qualname in ("torch.nn.Sequential", "torch.nn.ModuleList"):
        return _calls_layers(script, _calls_in(obj.call), set())
    return UNKNOWN


def class_layers(script: Script, cls: ClassInfo) -> Layers:
    return _class_layers(script, cls.name, frozenset())


def _class_layers(script: Script, name: str, seen: frozenset[str]) -> Layers:
    cls = script.classes.get(name)
    if cls is None or name in seen:
        return UNKNOWN
    seen = seen | {name}
    kinds: set[str] = set()
    complete = True
    for base in cls.bases:
        if base in script.classes:
            inherited = _class_layers(script, base, seen)
            kinds |= inherited.kinds
            complete &= inherited.complete
        elif script.resolve_dotted(base) not in catalog.MODULE_BASES:
            complete = False
    layers = _calls_layers(script, _calls_in(cls.node), seen)
    return Layers(frozenset(kinds | layers.kinds), complete and layers.complete)


def _calls_layers(script: Script, calls: list[cst.Call], seen: frozenset[str] | set) -> Layers:
    kinds: set[str] = set()
    complete = True
    for call in calls:
        qualname = script.qualname(call.func)
        if qualname is None:
            continue
        kind = catalog.layer_kind(qualname)
        if kind is not None:
            kinds.add(kind)
            continue
        if qualname in script.classes and not script.is_imported(call.func):
            nested = _class_layers(script, qualname, frozenset(seen))
            kinds |= nested.kinds
            complete &= nested.complete
            continue
        if qualname.startswith("torchvision.models."):
            found = catalog.torchvision_model_layers(qualname)
            if found is None:
                complete = False
            else:
                kinds |= found
            continue
        if _may_build_layers(script, call, qualname):
            complete = False
    return Layers(frozenset(kinds), complete)


def _may_build_layers(script: Script, call: cst.Call, qualname: str) -> bool:
    """An imported callable that could return a module we cannot see into."""
    if not script.is_imported(call.func):
        return False
    if qualname.startswith(("torch.nn.", "torch.")) and not qualname.startswith("torch.hub"):
        return False
    last = qualname.rsplit(".", 1)[-1]
    return last[:1].isupper() or "model" in last.lower() or qualname.startswith(("timm.", "transformers."))


@lru_cache(maxsize=256)
def _calls_in(node: cst.CSTNode) -> list[cst.Call]:
    collector = _CallCollector()
    walk(node, collector)
    return collector.calls


class _CallCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
