"""Shared facts about the data side of a script: DataLoaders, their datasets and their splits.

Part of the shared analysis (with ``fitlint.analysis.script``): rules ask here which loader trains, whether
it shuffles, and which split a dataset is, instead of each re-deriving it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.catalog import ObjKind
from fitlint.analysis.script import Bound, FunctionInfo, LoopInfo, Obj, Script, call_arg, dotted, literal, memoized, walk
from fitlint.findings import Split, Word

_MAX_DEPTH = 4
MAX_KEYWORD_VARIANTS = 64
# DataLoader(dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, ...)
_POSITIONS = {"dataset": 0, "batch_size": 1, "shuffle": 2, "sampler": 3, "batch_sampler": 4}
_EVAL_WORDS = re.compile(r"(^|[^a-z])(val|valid|validation|dev|eval|evaluation|test|testing|holdout)([^a-z]|$)")
_TEST_WORDS = re.compile(r"(^|[^a-z])(test|testing|holdout)([^a-z]|$)")
_TRAIN_WORDS = re.compile(r"train")
# LightningModule / LightningDataModule hooks that return a loader for one split
_LIGHTNING_HOOKS = {
    "train_dataloader": Split.TRAIN,
    "val_dataloader": Split.VALIDATION,
    "test_dataloader": Split.TEST,
    "predict_dataloader": Split.TEST,
}


def split_from_name(name: str | None) -> Split | None:
    """The split a variable name such as ``trainloader`` or ``val_set`` says."""
    if not name:
        return None
    last = name.rsplit(".", 1)[-1].lower()
    if _TEST_WORDS.search(last) or last.startswith("test"):
        return Split.TEST
    if _EVAL_WORDS.search(last) or last.startswith(("val", "valid", "dev", "eval")):
        return Split.VALIDATION
    if _TRAIN_WORDS.search(last):
        return Split.TRAIN
    return None


class ShuffleState(Word):
    """Whether a loader draws its batches in random order."""

    YES = "yes"
    NO = "no"
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class Shuffle:
    """Whether a loader draws batches in random order, and the node that says so."""

    state: ShuffleState
    node: cst.CSTNode
    note: str = ""


@dataclass(frozen=True)
class Loader:
    obj: Obj
    shuffle: Shuffle
    batch_size: object
    drop_last: object
    dataset: cst.BaseExpression | None
    split: Split | None
    split_evidence: str | None

    @property
    def call(self) -> cst.Call:
        return self.obj.call


def loader_arg(call: cst.Call, name: str) -> cst.BaseExpression | None:
    return call_arg(call, _POSITIONS.get(name), name)


def dataloaders(script: Script) -> list[Loader]:
    return _dataloaders(script)


@memoized
def _dataloaders(script: Script) -> list[Loader]:
    out = []
    for site in script.calls:
        if site.name is None or catalog.kind_of(script.qualname(site.node.func) or "") is not ObjKind.DATALOADER:
            continue
        if not script.is_imported(site.node.func):
            continue
        obj = Obj(ObjKind.DATALOADER, script.qualname(site.node.func) or "", site.node, site.function)
        out.append(_loader(script, obj))
    return out


def _loader(script: Script, obj: Obj) -> Loader:
    call = obj.call
    split, evidence = loader_split(script, obj)
    return Loader(
        obj=obj,
        shuffle=loader_shuffle(script, obj),
        batch_size=_keyword_literal(script, obj, "batch_size", default=1),
        drop_last=_keyword_literal(script, obj, "drop_last", default=False),
        dataset=loader_arg(call, "dataset"),
        split=split,
        split_evidence=evidence,
    )


def _keyword_values(script: Script, obj: Obj) -> list[dict[str, cst.BaseExpression]] | None:
    """The keyword arguments a ``**kwargs`` spread may add, one dict per way it can be bound;
    None when any of them is not a literal dict, or when they combine in more than
    MAX_KEYWORD_VARIANTS ways (each spread multiplies them)."""
    spreads = [arg.value for arg in obj.call.args if arg.star == "**"]
    if not spreads:
        return [{}]
    variants: list[dict[str, cst.BaseExpression]] = [{}]
    for spread in spreads:
        options = []
        for bound in script.values(spread, obj.function):
            found = _literal_dict(bound)
            if found is None:
                return None
            options.append(found)
        variants = [{**base, **option} for base in variants for option in options]
        if len(variants) > MAX_KEYWORD_VARIANTS:
            return None
    return variants


def _literal_dict(bound: Bound) -> dict[str, cst.BaseExpression] | None:
    expr = bound.expr
    if isinstance(expr, cst.Dict):
        out = {}
        for element in expr.elements:
            if not isinstance(element, cst.DictElement):
                return None
            key = literal(element.key)
            if not isinstance(key, str):
                return None
            out[key] = element.value
        return out
    if isinstance(expr, cst.Call) and dotted(expr.func) == "dict":
        out = {}
        for arg in expr.args:
            if arg.keyword is None:
                return None
            out[arg.keyword.value] = arg.value
        return out
    return None


def _keyword_literal(script: Script, obj: Obj, name: str, default: object) -> object:
    """The literal value of an argument, following names; ... when unknown."""
    expr = loader_arg(obj.call, name)
    if expr is None:
        variants = _keyword_values(script, obj)
        if variants is None:
            return ...
        values = {literal(variant[name]) if name in variant else default for variant in variants}
        return values.pop() if len(values) == 1 else ...
    values = {literal(bound.expr) for bound in script.values(expr, obj.function)}
    return values.pop() if len(values) == 1 else ...


def loader_shuffle(script: Script, obj: Obj) -> Shuffle:
    call = obj.call
    for name in ("sampler", "batch_sampler"):
        sampler = loader_arg(call, name)
        if sampler is not None and literal(sampler) is not None:
            return _sampler_shuffle(script, sampler, obj.function)
    shuffle = loader_arg(call, "shuffle")
    if shuffle is not None:
        values = [literal(bound.expr) for bound in script.values(shuffle, obj.function)]
        if any(value is ... for value in values):
            return Shuffle(ShuffleState.UNKNOWN, shuffle)
        if any(value for value in values):
            return Shuffle(ShuffleState.YES, shuffle)
        return Shuffle(ShuffleState.NO, shuffle)
    variants = _keyword_values(script, obj)
    if variants is None:
        return Shuffle(ShuffleState.UNKNOWN, call)
    states = set()
    for variant in variants:
        value = literal(variant["shuffle"]) if "shuffle" in variant else False
        states.add(ShuffleState.UNKNOWN if value is ... else ShuffleState.YES if value else ShuffleState.NO)
        for name in ("sampler", "batch_sampler"):
            if name in variant and literal(variant[name]) is not None:
                states.add(ShuffleState.UNKNOWN)
    if ShuffleState.UNKNOWN in states:
        return Shuffle(ShuffleState.UNKNOWN, call)
    if states == {ShuffleState.YES}:
        return Shuffle(ShuffleState.YES, call)
    if states == {ShuffleState.NO}:
        return Shuffle(ShuffleState.NO, call)
    return Shuffle(ShuffleState.NO, call, note="`shuffle=True` is set in only one of the keyword dicts this loader may receive")


def _sampler_shuffle(script: Script, sampler: cst.BaseExpression, function: FunctionInfo) -> Shuffle:
    states = set()
    for bound in script.values(sampler, function):
        expr = bound.expr
        if not isinstance(expr, cst.Call):
            return Shuffle(ShuffleState.UNKNOWN, sampler)
        last = (script.qualname(expr.func) or "").rsplit(".", 1)[-1]
        if last == "BatchSampler" and expr.args:
            inner = _sampler_shuffle(script, call_arg(expr, 0, "sampler") or expr.args[0].value, bound.function)
            states.add(inner.state)
            continue
        randomness = catalog.SAMPLERS.get(last) if script.is_imported(expr.func) else None
        if randomness is None:
            return Shuffle(ShuffleState.UNKNOWN, sampler)
        if last == "DistributedSampler" and literal(call_arg(expr, 3, "shuffle")) is False:
            randomness = False
        states.add(ShuffleState.YES if randomness else ShuffleState.NO)
    if states == {ShuffleState.YES}:
        return Shuffle(ShuffleState.YES, sampler)
    if states == {ShuffleState.NO}:
        return Shuffle(ShuffleState.NO, sampler)
    return Shuffle(ShuffleState.UNKNOWN, sampler)


def samples_at_random(script: Script, dataset: cst.BaseExpression | None, function: FunctionInfo) -> bool:
    """A dataset of a class from this file whose ``__getitem__`` ignores the index it is given
    (beyond its parity or the like) and draws its sample at random: the order the loader asks in
    does not matter (pairs for a siamese network, random crops of one long recording)."""
    values = script.values(dataset, function) if dataset is not None else []
    return bool(values) and all(_draws_its_sample(script, bound) for bound in values)


def _draws_its_sample(script: Script, bound: Bound) -> bool:
    call = bound.expr
    if not isinstance(call, cst.Call) or script.is_imported(call.func):
        return False
    cls = script.classes.get(script.qualname(call.func) or "")
    method = script.method_of_class(cls, "__getitem__") if cls is not None else None
    if method is None or len(method.params) < 2:
        return False
    index = method.params[1]
    draws = any((script.qualname(site.node.func) or "").startswith(catalog.RANDOM_DRAW_PREFIXES) for site in method.calls)
    return draws and not _indexes_with(method.node, index)


def _indexes_with(node: cst.CSTNode, name: str) -> bool:
    finder = _SubscriptNames(name)
    walk(node, finder)
    return finder.found


class _SubscriptNames(cst.CSTVisitor):
    """Whether a name appears inside a subscript's index (``data[index]``, ``rows[index + 1]``)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.depth = 0
        self.found = False

    def visit_SubscriptElement(self, node: cst.SubscriptElement) -> None:
        self.depth += 1

    def leave_SubscriptElement(self, original_node: cst.SubscriptElement) -> None:
        self.depth -= 1

    def visit_Name(self, node: cst.Name) -> None:
        if self.depth and node.value == self.name:
            self.found = True


def names_bound_to(script: Script, call: cst.Call) -> list[str]:
    """The variable names (and ``self.x`` attributes) whose value may be this call."""
    return _binding_index(script).get(id(call), [])


@memoized
def _binding_index(script: Script) -> dict[int, list[str]]:
    index: dict[int, list[str]] = {}
    for assignment in script.assigns:
        for bound in script.values(assignment.value, assignment.function):
            if isinstance(bound.expr, cst.Call):
                index.setdefault(id(bound.expr), []).append(assignment.target)
    return index


def dataset_split(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo,
                  depth: int = 0) -> Split | None:
    """The split of a dataset expression: ``train=False`` / ``split='test'`` arguments first, then names.
    ``loader.dataset`` is the split of the loader's dataset (``val_loader.dataset``: validation)."""
    if expr is None or depth > _MAX_DEPTH:
        return None
    if isinstance(expr, cst.Attribute) and expr.attr.value == "dataset":
        return _loaded_dataset_split(script, expr.value, function, depth)
    for bound in script.values(expr, function):
        value = bound.expr
        if isinstance(value, cst.Call):
            train = literal(call_arg(value, None, "train"))
            if train is True:
                return Split.TRAIN
            if train is False:
                return Split.TEST
            split = literal(call_arg(value, None, "split"))
            if isinstance(split, str):
                return split_from_name(split) or None
            for name in names_bound_to(script, value):
                found = split_from_name(name)
                if found:
                    return found
        else:
            found = split_from_name(dotted(value))
            if found:
                return found
    return split_from_name(dotted(expr))


def loops_over(script: Script, obj: Obj) -> list[LoopInfo]:
    """The loops that walk this loader (directly, through a parameter, a wrapper like
    ``enumerate(tqdm(loader))``), as far as the bindings tell."""
    return [loop for loop in script.loops if _walks(script, loop, obj)]


def _walks(script: Script, loop: LoopInfo, obj: Obj) -> bool:
    source = script.loop_source(loop)
    return source is not None and any(
        bound.expr is obj.call for bound in script.values_at(source, loop.function, loop.order, loop.parent)
    )


def feeds_training(script: Script, obj: Obj) -> bool | None:
    """True when a loop over the loader trains; False when every use of it is seen and none
    trains (a loader that only computes the data's mean and std); None when it goes somewhere
    the analysis cannot follow (``trainer.fit(model, loader)``)."""
    return _feeds_training(script, obj)


@memoized
def _feeds_training(script: Script, obj: Obj) -> bool | None:
    call = obj.call
    loops = loops_over(script, obj)
    if any(script.loop_always_trains(loop) for loop in loops):
        return True
    if any(script.loop_trains(loop) for loop in loops):
        return None  # a loop that trains or evaluates depending on its caller's arguments
    used = bool(loops)
    for site in script.calls:
        for arg in site.node.args:
            if not any(bound.expr is call for bound in script.values_at(arg.value, site.function, site.order, site.loop)):
                continue
            if script.callee(site) is None and site.name != "len" and site.method not in catalog.ITERABLE_WRAPPERS:
                return None  # handed to code this file does not show
            used = True
    names = {name for name in names_bound_to(script, call) if "." not in name}
    if not used or not names or _other_uses(obj.function.node, names):
        return None
    return False


def _other_uses(scope: cst.CSTNode, names: set[str]) -> bool:
    """A use of one of the names that is none of: an assignment target, a loop's iterable, a call
    argument, an attribute read (``loader.dataset``): stored in a dict, returned, aliased..."""
    finder = _NameUses(names)
    walk(scope, finder)
    return finder.other


class _NameUses(cst.CSTVisitor):
    """Finds a name used other than as a target, a loop's iterable, an argument or a receiver
    (each of those marks its name before the walk reaches it)."""

    def __init__(self, names: set[str]) -> None:
        self.names = names
        self.accounted: set[int] = set()
        self.other = False

    def visit_Arg(self, node: cst.Arg) -> None:
        self.accounted.add(id(node.value))

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self.accounted.add(id(node.target))

    def visit_For(self, node: cst.For) -> None:
        self.accounted |= {id(node.iter), id(node.target)}

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.accounted.add(id(node.value))

    def visit_Name(self, node: cst.Name) -> None:
        if node.value in self.names and id(node) not in self.accounted:
            self.other = True


def _loaded_dataset_split(script: Script, loader: cst.BaseExpression, function: FunctionInfo,
                          depth: int) -> Split | None:
    for bound in script.values(loader, function):
        call = bound.expr
        if isinstance(call, cst.Call) and catalog.kind_of(script.qualname(call.func) or "") is ObjKind.DATALOADER:
            found = dataset_split(script, loader_arg(call, "dataset"), bound.function, depth + 1)
            found = found or next(filter(None, map(split_from_name, names_bound_to(script, call))), None)
            if found:
                return found
    return split_from_name(dotted(loader))


def loader_split(script: Script, obj: Obj) -> tuple[Split | None, str | None]:
    """The loader's split and the evidence for it: 'usage' (a loop over it trains), 'hook' (built in a
    Lightning ``val_dataloader``-style hook), 'name', 'dataset'."""
    hook = _LIGHTNING_HOOKS.get(obj.function.name) if obj.function.cls is not None else None
    if hook is not None:
        return hook, "hook"
    if feeds_training(script, obj) is True:
        return Split.TRAIN, "usage"
    for name in names_bound_to(script, obj.call):
        found = split_from_name(name)
        if found:
            return found, "name"
    found = dataset_split(script, loader_arg(obj.call, "dataset"), obj.function)
    if found:
        return found, "dataset"
    return None, None
