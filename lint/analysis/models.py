"""Shared facts about models: which expression is a model, and which mode-dependent layers
(dropout, batch-norm) it contains.

Part of the shared analysis (with ``fitlint.analysis.script`` and ``fitlint.analysis.data``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.script import CallSite, ClassInfo, FunctionInfo, Obj, Script, call_arg, dotted, literal, memoized, per_value, walk
from fitlint.analysis.catalog import MODULE_PASSTHROUGH, ObjKind
from fitlint.project import MODE_LAYERS
from fitlint.words import words as split_words

# Names that say "model" (the weakest evidence the analysis takes for one).
MODEL_NAME = re.compile(
    r"model|net|classifier|encoder|decoder|backbone|generator|discriminator|policy|cnn|mlp|lstm|"
    r"rnn|gru|transformer|bert|vae|autoencoder|critic|actor",
    re.IGNORECASE,
)
# Words that make a name something other than a model even when it contains a model word:
# `effnetb2_transforms` (a preprocessing pipeline), `init_rnn_state` (a helper), `encoder_loss`.
NOT_MODEL_WORDS = frozenset({
    "transform", "transforms", "tfm", "tfms", "preprocess", "preprocessing", "processor",
    "tokenizer", "augment", "augmentation", "collate", "state", "states", "hidden", "init", "loss",
    "criterion", "metric", "metrics", "fn", "func", "get", "make", "build", "create", "compute",
    "sampler", "optimizer", "scheduler", "config", "cfg", "params", "weights", "path", "name",
})


def named_like_model(name: str) -> bool:
    """A name that says "model" (``net``, ``encoder``, ``self.classifier``) and nothing that says
    otherwise (``effnetb2_transforms``, ``init_rnn_state``): the weakest evidence the analysis
    takes for a model, when the value cannot be followed."""
    last = name.rsplit(".", 1)[-1]
    return MODEL_NAME.search(last) is not None and not set(split_words(last, digits=False)) & NOT_MODEL_WORDS


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

# Words in a call's name or keyword that build or configure a mode-dependent layer.
_MODE_LAYER_WORDS = ("dropout", "drop_prob", "batchnorm", "batch_norm")


@memoized
def builds_mode_layers(script: Script) -> bool:
    """The file builds or configures a dropout or batch-norm layer somewhere (``nn.Dropout(0.5)``,
    ``nn.BatchNorm1d(64)``, ``LSTMnet(..., dropout=0.5)``), or replaces the classifier head of a
    pretrained backbone (``model.fc = nn.Linear(512, n)``, ``model.classifier[6] = nn.Linear(...)``:
    the torchvision and timm classifiers all have batch-norm or dropout), or another file of its
    folder builds one (``model.py`` beside the ``trainer.py`` that is handed the model): evidence
    that a model whose class is not in the file may have one."""
    if MODE_LAYERS in script.neighbours:
        return True
    for site in script.calls:
        names = [site.name or ""] + [arg.keyword.value for arg in site.node.args if arg.keyword is not None]
        if any(word in name.lower() for name in names for word in _MODE_LAYER_WORDS):
            return True
    stores = [(assignment.target, assignment.value) for assignment in script.assigns]
    stores += [(dotted(item.target.value) or "", item.value) for item in script.item_assigns]
    return any(target.rsplit(".", 1)[-1] in _HEADS and "." in target and type(value) is cst.Call
               and (script.qualname(value.func) or "") in ("torch.nn.Linear", "torch.nn.Sequential")
               for target, value in stores)


# the attributes a pretrained classifier keeps its head in (torchvision, timm)
_HEADS = frozenset({"fc", "classifier", "head", "heads", "last_linear", "_fc"})


def models_of(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[Obj]:
    """The model constructors ``expr`` may be bound to (``.to(device)``, ``.train()`` and
    DataParallel wrappers are looked through), each once. Rules ask about the same expressions
    again and again, so each answer is kept on the script."""
    return list(_models(script, unwrap_module(script, expr), function)[0])


def only_models_of(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[Obj] | None:
    """The model constructors ``expr`` is bound to when every value it may hold is one; None
    when any is something else or unknown (a parameter nobody passes, an attribute of an
    imported object): an answer that proves which modules an expression is not."""
    found, complete = _models(script, unwrap_module(script, expr), function)
    return list(found) if complete and found else None


@per_value
def _models(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> tuple[tuple[Obj, ...], bool]:
    if expr is None:
        return (), False
    out: list[Obj] = []
    complete = _collect_models(script, expr, function, {script.value_key(expr, function)}, set(), out)
    return tuple(out), complete


def _collect_models(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo,
                    visited: set, found: set[int], out: list[Obj]) -> bool:
    """Depth first over the values, each value visited once: `model = model.to(device)` (or
    `.train()`) binds a name to a call on itself, and following every binding of every such name
    again at each step was exponential in the number of reassignments. Returns whether every
    value was a model constructor."""
    complete = True
    for bound in script.values(expr, function):
        inner = unwrap_module(script, bound.expr)
        if inner is not bound.expr:
            inner_key = script.value_key(inner, bound.function) if inner is not None else None
            if inner_key not in visited:
                visited.add(inner_key)
                complete &= _collect_models(script, inner, bound.function, visited, found, out)
            continue
        obj = script.classify(bound)
        if obj is None or obj.kind is not ObjKind.MODEL:
            complete = False
        elif id(obj.call) not in found:
            found.add(id(obj.call))
            out.append(obj)
    return complete


_WRAPPERS = frozenset({
    "torch.nn.DataParallel",
    "torch.nn.parallel.DistributedDataParallel",
    "torch.nn.parallel.DataParallel",
    "torch.compile",
})


def unwrap_module(script: Script, expr: cst.BaseExpression | None) -> cst.BaseExpression | None:
    """``Net().to(device)`` -> ``Net()``; ``nn.DataParallel(net)`` -> ``net``."""
    while type(expr) is cst.Call:
        func = expr.func
        if type(func) is cst.Attribute and func.attr.value in MODULE_PASSTHROUGH:
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
    if obj.qualname in catalog.LIBRARY_MODELS:
        return Layers(catalog.LIBRARY_MODELS[obj.qualname], True)
    if obj.qualname in ("torch.nn.Sequential", "torch.nn.ModuleList"):
        calls = calls_in(obj.call)
        for module in added_modules(script, obj.call):
            calls += calls_in(module)
        found = _calls_layers(script, calls)
        for arg in obj.call.args:
            if arg.star:  # `nn.Sequential(*layers)`: what the list its function builds holds
                listed = _listed_layers(script, arg.value, obj)
                if listed is None:
                    return Layers(found.kinds, False)
                found = Layers(found.kinds | listed.kinds, found.complete and listed.complete)
        return found
    return UNKNOWN


def _listed_layers(script: Script, listed: cst.BaseExpression, obj: Obj) -> Layers | None:
    """The layers of a list unpacked into a container (``nn.Sequential(*layers)`` after ``layers +=
    [nn.Linear(d, h), nn.Dropout(p)]`` in a loop); incomplete where an item is not written out or
    is added under an ``if``; None for a list not built in view."""
    site = script.site_of(obj.call)
    items = (script.listed_items(listed.value, obj.function, site.order)
             if type(listed) is cst.Name and site is not None else None)
    if items is None:
        return None
    calls = [call for item in items if item is not None for call in calls_in(item)]
    found = _calls_layers(script, calls)
    return Layers(found.kinds, found.complete and None not in items)


def added_modules(script: Script, container: cst.Call) -> list[cst.BaseExpression]:
    """The modules ``add_module(name, module)`` puts into this container after it is built, in
    the order they are added (``model = nn.Sequential(); model.add_module("fc1", nn.Linear(...))``)."""
    found = []
    for site in script.calls_by_method.get("add_module", []):
        receiver, module = site.receiver, site.arg(1, "module")
        if receiver is not None and module is not None and any(
                bound.expr is container for bound in script.values(receiver, site.function)):
            found.append((site.order, module))
    return [module for _, module in sorted(found, key=lambda item: item[0])]


_TRANSFORMER_LAYERS = ("torch.nn.Transformer",)
_RECURRENT = frozenset({"torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN"})
# constructors whose mode-dependent layers depend on their arguments (see torch_layer)
_CONFIGURED = _RECURRENT | {"torch.nn.MultiheadAttention"}


def torch_layer(call: cst.Call, qualname: str) -> Layers:
    """The mode-dependent layers a ``torch.nn`` constructor builds: dropout and batch-norm
    themselves, a Transformer's dropout, and a recurrent layer's or attention's ``dropout=`` when
    it is not 0 (unknown when it is not a literal: ``nn.LSTM(..., dropout=dropout)``)."""
    kind = catalog.layer_kind(qualname)
    if kind is not None:
        return Layers(frozenset({kind}), True)
    if qualname.startswith(_TRANSFORMER_LAYERS):
        return Layers(frozenset({"dropout"}), True)
    if qualname in _RECURRENT:
        return _dropout_argument(call_arg(call, None, "dropout"))
    if qualname == "torch.nn.MultiheadAttention":
        return _dropout_argument(call_arg(call, 2, "dropout"))
    return Layers(frozenset(), True)


def always_on_dropouts(script: Script) -> list[CallSite]:
    """The functional dropouts in the methods of the file's ``nn.Module`` classes that are not told
    the mode (``F.dropout(x, 0.5)``, no ``training=``): on in evaluation too, which ``model.eval()``
    cannot change. An explicit ``training=True`` (Monte Carlo dropout) is meant and left out."""
    if "dropout" not in script.source:
        return []
    return [site for site in script.calls
            if site.function.cls is not None and site.function.params[:1] == ("self",)
            and script.is_imported(site.node.func) and script.qualname(site.node.func) in catalog.FUNCTIONAL_DROPOUT
            and call_arg(site.node, 2, "training") is None and not any(arg.star for arg in site.node.args)
            and script.class_is(site.function.cls, catalog.MODULE_BASES)]


def mode_following(call: cst.Call) -> bool:
    """A functional dropout told the mode (``F.dropout(x, p, training=self.training)``): any
    ``training`` argument but a literal; without one it is on in both modes."""
    training = call_arg(call, 2, "training")
    return training is not None and literal(training) is ...


def _dropout_argument(value: cst.BaseExpression | None) -> Layers:
    """A layer's dropout probability argument: none given or 0 builds no dropout, a non-zero
    literal does, anything else (``dropout=args.dropout``) may."""
    if value is None:
        return Layers(frozenset(), True)
    found = literal(value)
    if found is ...:
        return UNKNOWN
    return Layers(frozenset({"dropout"}) if found else frozenset(), True)


def _graph_layer(call: cst.Call) -> Layers:
    """A graph convolution of PyTorch Geometric or DGL (``GCNConv``, ``GraphConv``, ``GATConv``):
    no mode-dependent layer of its own, except the dropout its keywords ask for (``dropout=0.6``,
    DGL's ``feat_drop=`` and ``attn_drop=``); a network handed to it (``GINConv(nn.Sequential(...))``)
    is among the calls of the class and counted there."""
    found = Layers(frozenset(), True)
    for arg in call.args:
        if arg.keyword is not None and "drop" in arg.keyword.value:
            layers = _dropout_argument(arg.value)
            found = Layers(found.kinds | layers.kinds, found.complete and layers.complete)
    return found


def class_layers(script: Script, cls: ClassInfo) -> Layers:
    return _class_layers(script, cls.name)


def _class_layers(script: Script, name: str) -> Layers:
    """Worked out once per class (a class holding four instances of another, itself holding four
    of a third... was walked once per instance); a class met again while its layers are being
    collected (a cycle) is UNKNOWN."""
    memo = script.memo.setdefault(_class_layers, {})
    if name in memo:
        return memo[name]
    cls = script.classes.get(name)
    if cls is None:
        return UNKNOWN
    memo[name] = UNKNOWN  # while in progress
    kinds: set[str] = set()
    complete = True
    for base in cls.bases:
        if base in script.classes:
            inherited = _class_layers(script, base)
            kinds |= inherited.kinds
            complete &= inherited.complete
        elif script.resolve_dotted(base) not in catalog.MODULE_BASES:
            complete = False
    unused = _unused_attributes(cls)
    built = [call for call in calls_in(cls.node) if id(call) not in unused] if unused else calls_in(cls.node)
    layers = _calls_layers(script, built)
    found = memo[name] = Layers(frozenset(kinds | layers.kinds), complete and layers.complete)
    return found


class _SelfAttributes:
    """How often each ``self.<name>`` appears in a class (for ``walk``)."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if type(node.value) is cst.Name and node.value.value == "self":
            self.counts[node.attr.value] = self.counts.get(node.attr.value, 0) + 1


def _unused_attributes(cls: ClassInfo) -> set[int]:
    """The calls (by ``id``) in the values of ``self.drop = nn.Dropout(0.2)`` assignments whose
    attribute nothing in the class reads, with the calls nested in them (``self.classifier =
    nn.Sequential(..., nn.Dropout(0.5))`` that ``forward`` never calls): a layer built but never
    called (its use commented out) changes nothing in either mode."""
    seen = _SelfAttributes()
    walk(cls.node, seen)
    return {id(call) for attr, assignments in cls.attrs.items()
            if seen.counts.get(attr, 0) <= len(assignments) for assignment in assignments
            for call in calls_in(assignment.value)}


def _calls_layers(script: Script, calls: list[cst.Call]) -> Layers:
    kinds: set[str] = set()
    complete = True
    for call in calls:
        qualname = script.qualname(call.func)
        if qualname is None:
            continue
        if qualname in catalog.FUNCTIONAL_DROPOUT and not mode_following(call):
            continue  # `F.dropout(x, 0.5)`: on in evaluation too, whatever the mode
        kind = catalog.layer_kind(qualname)
        if kind is not None:
            kinds.add(kind)
            continue
        if qualname in _CONFIGURED or qualname.startswith(_TRANSFORMER_LAYERS):
            configured = torch_layer(call, qualname)
            kinds |= configured.kinds
            complete &= configured.complete
            continue
        if qualname in script.classes and not script.is_imported(call.func):
            nested = _class_layers(script, qualname)
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
        if catalog.is_graph_convolution(qualname):
            configured = _graph_layer(call)
            kinds |= configured.kinds
            complete &= configured.complete
            continue
        builder = _layer_builder(script, call, qualname)
        if builder is not None:
            nested = _function_layers(script, builder)
            kinds |= nested.kinds
            complete &= nested.complete
            continue
        if _may_build_layers(script, call, qualname):
            complete = False
    return Layers(frozenset(kinds), complete)


def _layer_builder(script: Script, call: cst.Call, qualname: str) -> FunctionInfo | None:
    """The one plain function of this file a call runs (``conv_bn(3, 32)`` returning
    ``nn.Sequential(nn.Conv2d(...), nn.BatchNorm2d(...))``), whose layers the caller gets."""
    if "." in qualname or script.is_imported(call.func):
        return None
    found = [function for function in script.functions_by_name.get(qualname, []) if function.cls is None]
    return found[0] if len(found) == 1 else None


def _function_layers(script: Script, function: FunctionInfo) -> Layers:
    """The layers a function of this file builds, worked out once; UNKNOWN while in progress (a
    recursive builder)."""
    memo = script.memo.setdefault(_function_layers, {})
    key = id(function.node)
    if key not in memo:
        memo[key] = UNKNOWN
        memo[key] = _calls_layers(script, calls_in(function.node))
    return memo[key]


def _may_build_layers(script: Script, call: cst.Call, qualname: str) -> bool:
    """An imported callable that could return a module we cannot see into."""
    if not script.is_imported(call.func):
        return False
    if qualname.startswith(("torch.nn.", "torch.")) and not qualname.startswith("torch.hub"):
        return False
    if qualname.startswith(catalog.TRANSFORM_MODULES):
        return False  # a transform module (`nn.Sequential(T.Normalize(...))`): no mode-dependent layer
    last = qualname.rsplit(".", 1)[-1]
    if _WEIGHT_LAYER.search(last) and not any(
            arg.keyword is not None and "drop" in arg.keyword.value.lower() for arg in call.args):
        return False  # one weight layer from a library (`blitz.modules.BayesianLinear(784, 256)`)
    return last[:1].isupper() or "model" in last.lower() or qualname.startswith(("timm.", "transformers."))


# the name of a library's single weight layer: a linear, convolution or embedding layer of its own
# kind (Bayesian, quantized, low-rank), with no dropout or batch-norm inside unless it is given a rate
_WEIGHT_LAYER = re.compile(r"(?:Linear|Conv[123]d|Embedding)$")


@lru_cache(maxsize=256)
def calls_in(node: cst.CSTNode) -> list[cst.Call]:
    """Every call in ``node``'s tree, in source order."""
    collector = _CallCollector()
    walk(node, collector)
    return collector.calls


class _CallCollector(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
