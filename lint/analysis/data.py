"""Shared facts about the data side of a script: DataLoaders, their datasets and their splits.

Part of the shared analysis (with ``fitlint.analysis.script``): rules ask here which loader trains, whether
it shuffles, and which split a dataset is, instead of each re-deriving it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.catalog import ObjKind
from fitlint.analysis.script import (
    MAX_VARIANTS, Bound, CallSite, FunctionInfo, LoopInfo, Obj, Script, call_arg, code_of, dotted, element_index, enclosing_ifs, items_walked, pairs_walked, literal, literal_key, memoized, short_code, under_if, walk,
)
from fitlint.findings import HELD_OUT, Split, Word
from fitlint.words import words as split_words

# DataLoader(dataset, batch_size=1, shuffle=None, sampler=None, batch_sampler=None, ...)
_POSITIONS = {"dataset": 0, "batch_size": 1, "shuffle": 2, "sampler": 3, "batch_sampler": 4}
# `cv` is cross-validation's held-out part (`X_cv`, `cv_loader`); `cv2` is OpenCV.
# `vali` is the abbreviation of many course notebooks (`X_vali`, `vali_loader`), `va` the one
# beside `tr` (`X_tr, X_va`, `va_dl`).
_EVAL_WORDS = re.compile(
    r"(^|[^a-z])(va|val|vali|valid|validation|dev|eval|evaluation|te|test|testing|holdout)([^a-z]|$)"
    r"|(^|[^a-z])cv(?![a-z0-9])"
)
# `holdout` names held-out data without saying which split (a validation part in one script, the
# test set in the next): like `eval`, what the data is built from decides
_TEST_WORDS = re.compile(r"(^|[^a-z])(te|test|testing)([^a-z]|$)")  # `X_te`, `teX`
_TRAIN_WORDS = re.compile(r"train")
# A glued name (`valloader`, `devset`, `evalset`) starts with its split's word; English words that
# merely begin with the same letters (`df.values`, `device`) name no split.
_GLUED_EVAL = re.compile(r"(val|valid|dev|eval)(?!ue|uation|ice|elop)|cv(?=(data)?(loader|set)|data$|dl$|ds$)")
# The words that name the validation split itself, as opposed to `eval` / `evaluation`, which only
# say the data is held out (`eval_loader` walks a validation part in one script, the test set in
# the next).
_VALIDATION_WORDS = re.compile(r"(^|[^a-z])(va|val|vali|valid|validation|dev)([^a-z]|$)|(^|[^a-z])cv(?![a-z0-9])")
_GLUED_VALIDATION = re.compile(r"(val|valid|dev)(?!ue|uation|ice|elop)|cv(?=(data)?(loader|set)|data$|dl$|ds$)")
# LightningModule / LightningDataModule hooks that return a loader for one split
_LIGHTNING_HOOKS = {
    "train_dataloader": Split.TRAIN,
    "val_dataloader": Split.VALIDATION,
    "valid_dataloader": Split.VALIDATION,
    "validation_dataloader": Split.VALIDATION,
    "test_dataloader": Split.TEST,
    "predict_dataloader": Split.TEST,
}


def split_from_name(name: str | None) -> Split | None:
    """The split a variable name such as ``trainloader`` or ``val_set`` says; None for a name that
    says both (``train_eval_loader``) or neither."""
    if not name:
        return None
    last = name.rsplit(".", 1)[-1]
    # camelCase words apart, as snake_case writes them (`XTest` -> `x_test`, `valLoader` -> `val_loader`)
    last = "_".join(split_words(last)) if not last.islower() else last
    train = _TRAIN_WORDS.search(last) is not None
    # a later word glued to its role (`cifar_testset`, `data_validare`) is looked for only where the
    # letters are there: rules ask this of thousands of names
    if _TEST_WORDS.search(last) or last.startswith("test") or (
            "test" in last and any(part.startswith("test") for part in split_words(last))):
        return None if train else Split.TEST
    if _EVAL_WORDS.search(last) or _GLUED_EVAL.match(last) or (
            _GLUED_EVAL.search(last) and any(_GLUED_EVAL.match(part) for part in split_words(last))):
        return None if train else Split.VALIDATION
    return Split.TRAIN if train else None


def names_held_out_only(name: str) -> bool:
    """``eval_loader``, ``evaluation_set``, ``evalloader``: the name says held-out data but not which
    held-out split, so what the data is built from decides between validation and test."""
    last = name.rsplit(".", 1)[-1].lower()
    return (split_from_name(name) is Split.VALIDATION and not _VALIDATION_WORDS.search(last)
            and not _GLUED_VALIDATION.match(last))


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
    """The keyword arguments a ``**kwargs`` spread may add, one dict per way it can be bound
    (its ``update``s and item stores included, see ``Script.dict_variants``); None when any of
    them cannot be read, or when they combine in more than MAX_VARIANTS ways (each spread
    multiplies them)."""
    spreads = [arg.value for arg in obj.call.args if arg.star == "**"]
    if not spreads:
        return [{}]
    site = script.site_of(obj.call)
    if site is None:
        return None
    variants: list[dict[str, cst.BaseExpression]] = [{}]
    for spread in spreads:
        options = script.dict_variants(spread, site)
        if options is None:
            return None
        variants = [{**base, **option} for base in variants for option in options]
        if len(variants) > MAX_VARIANTS:
            return None
    return variants


def whole_dataset_batches(script: Script, loader: Loader) -> bool:
    """The loader's one batch is its whole dataset (full-batch gradient descent): ``batch_size`` is
    ``len(ds)`` (or ``X.shape[0]``, ``X.size(0)``) of what it loads, or the length ``random_split``
    gave that part (``train_set, test_set = random_split(data, [n_train, n_test])`` then
    ``batch_size=n_train``). The order of items inside the one batch does not matter."""
    batch = loader_keyword(script, loader.obj, "batch_size")
    if batch is None or loader.dataset is None:
        return False
    function = loader.obj.function
    data = code_of(loader.dataset)
    size = _measured(batch)
    if size is not None:  # `len(train_set)`, or `len(X)` of `TensorDataset(X, y)`
        return size == data or any(
            type(bound.expr) is cst.Call and bound.expr.args and code_of(bound.expr.args[0].value) == size
            and (script.qualname(bound.expr.func) or "").endswith("TensorDataset")
            for bound in script.values(loader.dataset, function))
    for bound in script.values(loader.dataset, function):
        element = element_index(bound.expr)  # `random_split(data, [n_train, n_test])[0]`
        split = element[0] if element is not None else None
        if (type(split) is not cst.Call or not (script.qualname(split.func) or "").endswith("random_split")
                or len(split.args) < 2 or type(split.args[1].value) not in (cst.List, cst.Tuple)):
            continue
        lengths = split.args[1].value.elements
        if 0 <= element[1] < len(lengths) and code_of(lengths[element[1]].value) == code_of(batch):
            return True
    return False


def _measured(expr: cst.BaseExpression) -> str | None:
    """The code of what ``len(x)``, ``x.shape[0]`` or ``x.size(0)`` measures; None for anything else."""
    if type(expr) is cst.Call and len(expr.args) == 1 and type(expr.func) is cst.Name and expr.func.value == "len":
        return code_of(expr.args[0].value)
    if type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value == "size" and (
            len(expr.args) == 1 and literal(expr.args[0].value) == 0):
        return code_of(expr.func.value)
    if (type(expr) is cst.Subscript and type(expr.value) is cst.Attribute and expr.value.attr.value == "shape"
            and len(expr.slice) == 1 and type(expr.slice[0].slice) is cst.Index
            and literal(expr.slice[0].slice.value) == 0):
        return code_of(expr.value.value)
    return None


def loader_keyword(script: Script, obj: Obj, name: str) -> cst.BaseExpression | None:
    """The expression a loader's argument ``name`` is written as: passed to the call, or the one
    entry every way a ``**loader_kwargs`` spread can be bound agrees on (``dict(batch_size=2, ...)``);
    None when it is not given or differs between them."""
    expr = loader_arg(obj.call, name)
    if expr is not None:
        return expr
    variants = _keyword_values(script, obj)
    found = {id(variant[name]): variant[name] for variant in variants or () if name in variant}
    return next(iter(found.values())) if len(found) == 1 and all(name in variant for variant in variants) else None


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


def has_sampler(script: Script, loader: Loader) -> bool:
    """A sampler picks the indices (`SubsetRandomSampler(val_idx)`): two loaders over one dataset
    may see disjoint parts. Keyword dicts that cannot be read count as a sampler (unknown)."""
    call = loader.call
    for name in ("sampler", "batch_sampler"):
        value = loader_arg(call, name)
        if value is not None and not _always_none(script, value, loader.obj.function):
            return True
    for arg in call.args:
        if arg.star == "**":
            for bound in script.values(arg.value, loader.obj.function):
                if type(bound.expr) not in (cst.Dict, cst.Call):
                    return True
                if "sampler" in code_of(bound.expr):
                    return True
    return False


def _always_none(script: Script, value: cst.BaseExpression, function: FunctionInfo) -> bool:
    """``sampler=None``, or a name (a method's result) that holds ``None`` whatever runs: no sampler."""
    if literal(value) is None:
        return True
    bounds = script.values(value, function)
    return bool(bounds) and all(bound.expr is not value and literal(bound.expr) is None for bound in bounds)


def loader_shuffle(script: Script, obj: Obj) -> Shuffle:
    call = obj.call
    for name in ("sampler", "batch_sampler"):
        sampler = loader_arg(call, name)
        if sampler is not None and not _always_none(script, sampler, obj.function):
            found = _sampler_shuffle(script, sampler, obj.function)
            none = [bound for bound in script.values(sampler, obj.function) if literal(bound.expr) is None]
            variants = _keyword_values(script, obj)
            if (found.state is ShuffleState.YES and none and loader_arg(call, "shuffle") is None
                    and variants is not None and not any("shuffle" in variant for variant in variants)):
                # `sampler = DistributedSampler(ds) if distributed else None`: a run on one device shuffles nothing
                return Shuffle(ShuffleState.NO, sampler, note=f"`{short_code(sampler)}` may be None, and then "
                               "nothing shuffles: no `shuffle=` is passed for that case")
            return found
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
    if any(arg.star == "**" and type(arg.value) is cst.Name and arg.value.value in obj.function.params
           for arg in call.args):
        return Shuffle(ShuffleState.UNKNOWN, call)  # a wrapper's `**kw`: each caller builds its own loader
    return Shuffle(ShuffleState.NO, call, note="`shuffle=True` is set in only one of the keyword dicts this loader may receive")


def _sampler_shuffle(script: Script, sampler: cst.BaseExpression, function: FunctionInfo) -> Shuffle:
    states = set()
    for bound in script.values(sampler, function):
        expr = bound.expr
        if literal(expr) is None:
            continue  # the configuration with no sampler (see loader_shuffle)
        if type(expr) is not cst.Call:
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
    if type(call) is not cst.Call or script.is_imported(call.func):
        return False
    cls = script.classes.get(script.qualname(call.func) or "")
    method = script.method_of_class(cls, "__getitem__") if cls is not None else None
    if method is None or len(method.params) < 2:
        return False
    index = method.params[1]
    return function_draws(script, method) and not _indexes_with(method.node, index)


def function_draws(script: Script, function: FunctionInfo) -> bool:
    """The function draws a random number (``random.random()``, ``np.random.uniform(...)``,
    ``torch.randint(...)``) each time it runs."""
    return any((script.qualname(site.node.func) or "").startswith(catalog.RANDOM_DRAW_PREFIXES)
               for site in function.calls)


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
            if type(bound.expr) is cst.Call:
                index.setdefault(id(bound.expr), []).append(assignment.target)
    # an entry of a dict literal is named by its key: `{"train": DataLoader(...), "val": DataLoader(...)}`
    dicts = [a.value for a in script.assigns if type(a.value) is cst.Dict]
    dicts += [value for function in script.functions for value in function.returns if type(value) is cst.Dict]
    for node in dicts:
        for element in node.elements:
            key = literal(element.key) if type(element) is cst.DictElement else ...
            if type(key) is str and type(element.value) is cst.Call:
                index.setdefault(id(element.value), []).append(key)
    return index


@dataclass(frozen=True)
class SplitEvidence:
    """Which part of the data an expression holds (``split``), and how the analysis knows
    (``text``, for a message); ``official`` when the data source itself says it (a dataset built
    with ``train=False`` or ``split="test"``, a ``test/`` folder, the test half of Keras'
    ``load_data()``), which outweighs whatever the variable is called."""

    split: Split
    text: str
    official: bool = False
    # the data's own name says test under a wrapper named for validation (`val_set =
    # TensorDataset(X_test, y_test)`): the binding outweighs the names of what wraps it
    bound: bool = False


# Calls that hand their data arguments through (the split of the result is theirs).
_DATA_WRAPPERS = frozenset({
    "TensorDataset", "Subset", "tensor", "as_tensor", "from_numpy", "Tensor", "FloatTensor", "LongTensor",
    "Variable", "array", "asarray", "stack", "cat", "concatenate", "DataFrame",
})
# Library calls whose result is (train, test): Keras' `load_data()` of its datasets (a project's own
# `data_processor.load_data(args)` may return any two parts: `train_iter, dev_iter`).
_PAIR_LOADERS = frozenset({"load_data"})
_KERAS_DATASETS = frozenset({"mnist", "fashion_mnist", "cifar10", "cifar100", "imdb", "reuters", "boston_housing"})
_BATCHING_NAME = re.compile(r"batch|iterate|generat|loader", re.IGNORECASE)
_MAX_DEPTH = 6


def data_split(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> SplitEvidence | None:
    """The split a loader, dataset, array or batch expression holds, when every value it may be
    bound to agrees: the data source first (``train=False``, ``split="test"``, a ``test/`` folder,
    ``load_data()``'s second half), then the names it is bound to, then what it was built from
    (``DataLoader(test_set)``, ``TensorDataset(X_val, y_val)``, ``raw["test"].map(...)``,
    ``batches(X_val, y_val)``). None when unknown or mixed."""
    if expr is None:
        return None
    return _data_split(script, expr, function, 0)


def _data_split(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> SplitEvidence | None:
    if depth > _MAX_DEPTH:
        return None
    # once per expression, function and depth: a recursive helper (`collate(batch)` calling itself
    # on each element) passes its parameters to itself from many calls, and following every one of
    # them again at every depth was exponential
    memo = script.memo.setdefault(_data_split, {})
    key = (id(expr), id(function), depth)
    if key not in memo:
        memo[key] = (expr, _data_split_uncached(script, expr, function, depth))
    return memo[key][1]


def _data_split_uncached(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
                         depth: int) -> SplitEvidence | None:
    if type(expr) is cst.BinaryOperation:
        return _arithmetic_split(script, expr, function, depth)
    if type(expr) is cst.Attribute and expr.attr.value == "dataset":
        # `val_loader.dataset`: the split of the data the loader was built over
        loaded = _data_split(script, expr.value, function, depth + 1)
        if loaded is not None:
            return loaded
    passed = _passed_split(script, expr, function, depth)
    if passed is not None:
        return passed
    helper_call, scope = _helper_call(script, expr, function)
    if helper_call is not None:
        # `encode(test_df)`, or `X_all` of `X_all, y_all = as_tensors(train_raw)`: a helper of the
        # file, read at this call with this call's data (its returns, read inside it, hold whatever
        # any caller passes)
        built = _built_from(script, helper_call, scope, depth)
        if built is not None:
            return built
    aliased = _aliased(expr, function)
    if aliased is not None:  # `X_val, y_val = X_test, y_test`: the split of what it names
        splits = [_data_split(script, value, scope, depth + 1) for value, scope in aliased]
        if splits and all(split is not None and split.split is splits[0].split for split in splits):
            return splits[0]
    forwarded = split_at_binding(script, expr, function)
    if forwarded is not None:
        return forwarded
    halved = _validation_cut_from_test(script, expr, function, depth)
    if halved is not None:
        return halved
    found: list[SplitEvidence] = []
    bounds = [bound for bound in script.values(expr, function) if literal(bound.expr) is not None]
    for bound in bounds:  # (a parameter's `None` default is left out: the data passed is what counts)
        split = _bound_split(script, bound, depth)
        if split is None and bound.expr is not expr:
            split = _written_split(expr)
        if split is None:
            return None
        found.append(split)
    if not found:
        return None
    if len({split.split for split in found}) != 1:
        alternatives = _alternatives(expr, function) or all(_assigned_under_if(bound) for bound in bounds)
        return _test_in_one_configuration(found) if alternatives else None
    return next((split for split in found if split.official), found[0])


def _alternatives(expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """``expr`` is a name its own scope binds in two or more branches of ``if`` statements (one
    per configuration: ``if args.dataset == "cifar10": ... else: ...``), and is no parameter (a
    helper's parameter holds what each caller passes: its values are not alternatives)."""
    bindings = _own_bindings(expr, function)
    return len(bindings) >= 2 and all(under_if(binding) for binding in bindings)


def _assigned_under_if(bound: Bound) -> bool:
    """The value is assigned in one branch of a configuration's ``if`` in its function: ``val_dst =
    Cityscapes(split="test")`` under ``if opts.dataset == "cityscapes":`` in the helper whose
    ``return train_dst, val_dst`` the caller unpacks is one configuration's value. A test that
    names a split (``if name == "val":``, ``if train:``, ``if mode == ...``) chooses the split each
    call asks for, not a configuration."""
    for assignments in bound.function.bindings.values():
        for assignment in assignments:
            if assignment.value is bound.expr:
                tests = [node.test for node in enclosing_ifs(assignment)]
                return bool(tests) and not any(_SPLIT_TEST_WORDS & set(split_words(code_of(test))) for test in tests)
    return False


def _test_in_one_configuration(found: list[SplitEvidence]) -> SplitEvidence | None:
    """Values that disagree, where one is a published test split and the others are held out too
    (``if args.dataset == "cifar10": val_set = CIFAR10(train=False)`` / ``else: val_set =
    ImageFolder(os.path.join(root, "val"))``): in that configuration the data is the test split."""
    tests = [split for split in found if split.split is Split.TEST and split.official]
    if not tests or any(split.split not in (Split.TEST, Split.VALIDATION) for split in found):
        return None
    return replace(tests[0], text=f"{tests[0].text}, in one of the configurations it is built in")


def _passed_split(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> SplitEvidence | None:
    """A parameter holds what its callers pass: ``def train(model, loader, val_loader)`` called as
    ``train(model, train_loader, test_loader)`` validates on the test split. Each argument is judged
    where it is passed, so that when nothing is known of its value (``train_loader, test_loader =
    get_loaders()`` from another module) its own name speaks before the parameter's. None unless
    the parameter is never rebound and every call of the function passes it and agrees."""
    if type(expr) is not cst.Name or expr.value not in function.params or expr.value in function.bindings:
        return None
    passed = script.arguments_for(function, expr.value)
    if not passed or len(passed) < len(script.call_sites_of(function)):
        return None
    splits = [_data_split(script, arg, site.function, depth + 1) for arg, site in passed]
    if all(split is not None and split.split is splits[0].split for split in splits):
        return splits[0]
    return None


def _aliased(expr: cst.BaseExpression, function: FunctionInfo) -> list[tuple[cst.BaseExpression, FunctionInfo]] | None:
    """What a name is another name for, when every assignment of it is a plain name."""
    if type(expr) is not cst.Name:
        return None
    scope = function.binding_scope(expr.value)
    assignments = scope.bindings.get(expr.value) if scope is not None else None
    if not assignments or not all(type(a.value) is cst.Name and a.value.value != expr.value for a in assignments):
        return None
    return [(assignment.value, scope) for assignment in assignments]


# reductions: statistics of some data (`X_train.mean(0)`), not rows of it
_REDUCTIONS = frozenset({"mean", "std", "var", "max", "min", "sum", "median", "norm", "amax", "amin"})


def _arithmetic_split(script: Script, expr: cst.BinaryOperation, function: FunctionInfo,
                      depth: int) -> SplitEvidence | None:
    """``(X_test - X_train.mean(0)) / X_train.std(0)``: the split of the operands that hold rows
    (a number, a reduction or a statistic's name is no rows), when they agree."""
    parts = []
    for operand in (expr.left, expr.right):
        func = operand.func if type(operand) is cst.Call else None
        if (literal(operand) is not ... or type(func) is cst.Attribute and func.attr.value in _REDUCTIONS
                or type(operand) in (cst.Name, cst.Attribute) and set(split_words(dotted(operand) or "")) & VIEW_WORDS):
            continue
        parts.append(operand)
    splits = [_data_split(script, part, function, depth + 1) for part in parts]
    if splits and all(split is not None and split.split is splits[0].split for split in splits):
        return splits[0]
    return None


def _bound_split(script: Script, bound: Bound, depth: int) -> SplitEvidence | None:
    value = bound.expr
    if type(value) is cst.BinaryOperation:
        return _arithmetic_split(script, value, bound.function, depth)
    if type(value) is cst.Call:
        return _call_split(script, value, bound.function, depth)
    element = element_index(value)
    if element is not None:
        return _element_split(script, value, *element, bound.function, depth)
    if type(value) is cst.Subscript:
        key = _literal_key(value)
        if key is not None:
            carved = _carved_by(script, value.value, bound.function)
            if carved is not None:
                return _carved_part(script, key, value, *carved, depth)
            built = _comprehension_entry(script, value, key, bound.function, depth)
            if built is not None and built.official:
                return built
            return _named(key, f"`{short_code(value)}`")
        return _data_split(script, value.value, bound.function, depth + 1)
    return _written_split(value)


def _comprehension_entry(script: Script, value: cst.Subscript, key: str, function: FunctionInfo,
                         depth: int) -> SplitEvidence | None:
    """``loaders["val"]`` of ``loaders = {x: DataLoader(sets[x]) for x in ["train", "val"]}``: the
    split of the comprehension's value run with ``x = "val"`` (``sets["val"]``, which may read
    ``os.path.join(root, "test")``), when every binding of the container is such a comprehension
    and they agree."""
    found = []
    for bound in script.values(value.value, function):
        comprehension = bound.expr
        if type(comprehension) is not cst.DictComp or key not in script.dict_keys(comprehension, bound.function):
            return None
        split = _data_split(script, _comprehension_run(script, comprehension, key), bound.function, depth + 1)
        if split is None:
            return None
        found.append(split)
    return found[0] if found and all(split.split is found[0].split for split in found) else None


class _Uses:
    """The ``Name`` nodes of one name in a subtree (for ``walk``)."""

    def __init__(self, name: str) -> None:
        self.name, self.found = name, []

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name:
            self.found.append(node)


def _comprehension_run(script: Script, comprehension: cst.DictComp, key: str) -> cst.BaseExpression:
    """The value of ``comprehension`` with its loop name replaced by ``key``: built once per file
    and kept, since the analysis caches answers by node identity."""
    runs = script.__dict__.setdefault("_comprehension_runs", {})
    if (id(comprehension), key) not in runs:
        pair = items_walked(comprehension)
        written = pairs_walked(comprehension)
        # `for split, ds in datasets.items()`: `split` is the key, `ds` the entry `datasets[key]`;
        # `for name, ds in [("train", ds_tr), ("val", ds_va)]`: `ds` is the value paired with the key
        if written is not None and key in written[2]:
            names = {written[0]: cst.SimpleString(repr(key)), written[1]: written[2][key]}
        elif pair is not None:
            names = {pair[0]: cst.SimpleString(repr(key)),
                     pair[1]: cst.Subscript(comprehension.for_in.iter.func.value,
                                            [cst.SubscriptElement(cst.Index(cst.SimpleString(repr(key))))])}
        else:
            names = {comprehension.for_in.target.value: cst.SimpleString(repr(key))}
        run = comprehension.value
        for name, replacement in names.items():
            uses = _Uses(name)
            walk(run, uses)
            for use in uses.found:  # each replacement keeps the other nodes: the next one is still there
                run = run.deep_replace(use, replacement)
        runs[(id(comprehension), key)] = run
    return runs[(id(comprehension), key)]


def _carved_by(script: Script, container: cst.BaseExpression,
               function: FunctionInfo) -> tuple[cst.Call, FunctionInfo] | None:
    """The Hugging Face ``Dataset.train_test_split()`` call ``container`` is the result of (also
    after ``.map(...)`` and other dataset methods), and its scope: its keys are always 'train' and
    'test', whatever the part is for. Any value of a rebound name counts (``ds =
    ds.train_test_split(0.2)``): the answer only ever turns a 'test' key into a part carved for
    validation, or into an unknown split."""
    pending = [(container, function)]
    for _ in range(4):
        calls = [(bound.expr, bound.function) for expr, scope in pending for bound in script.values(expr, scope)
                 if type(bound.expr) is cst.Call and type(bound.expr.func) is cst.Attribute]
        carved = next(((call, scope) for call, scope in calls if call.func.attr.value == "train_test_split"), None)
        if carved is not None or not calls:
            return carved
        pending = [(call.func.value, scope) for call, scope in calls]
    return None


def _carved_part(script: Script, key: str, value: cst.Subscript, call: cst.Call, function: FunctionInfo,
                 depth: int) -> SplitEvidence | None:
    """The 'test' part of ``train_set.train_test_split(test_size=0.1)`` is a validation part carved
    from the training data (the API names it 'test'); carved from data of unknown split, unknown."""
    if split_from_name(key) is not Split.TEST:
        return _named(key, f"`{short_code(value)}`")
    receiver = _data_split(script, call.func.value, function, depth + 1)
    if receiver is None or receiver.split is not Split.TRAIN:
        return None
    return SplitEvidence(Split.VALIDATION, f"`{short_code(value)}`, a part of the training data carved by `.train_test_split()`")


def _written_split(expr: cst.BaseExpression) -> SplitEvidence | None:
    """From the expression's own name: ``val_loader``, ``self.test_set``, ``mnist.test.images``."""
    while type(expr) in (cst.Attribute, cst.Subscript):
        name = expr.attr.value if type(expr) is cst.Attribute else None
        split = _named(name, f"`{short_code(expr)}`") if name else None
        if split is not None:
            return split
        expr = expr.value
    return _named(expr.value, f"`{expr.value}`") if type(expr) is cst.Name else None


def _named(name: str, text: str) -> SplitEvidence | None:
    split = split_from_name(name)
    return SplitEvidence(split, text) if split else None


def _call_split(script: Script, call: cst.Call, function: FunctionInfo, depth: int) -> SplitEvidence | None:
    official = _source_split(script, call, function)
    if official is not None:
        return official
    if script.is_imported(call.func) and catalog.kind_of(script.qualname(call.func) or "") == "dataloader":
        inner = _data_split(script, loader_arg(call, "dataset"), function, depth + 1) if loader_arg(call, "dataset") else None
    else:
        inner = _built_from(script, call, function, depth)
    if inner is not None and inner.official and inner.split in (Split.TEST, Split.VALIDATION):
        # a loader over the test set (`raw["test"].map(...)`) is the test set, and one over a
        # validation folder the validation set, whatever it is called (a training source says
        # nothing: a validation part is often carved from it)
        return SplitEvidence(inner.split, f"{_label(script, call)}, over {inner.text}", official=True)
    if inner is not None and inner.bound:
        return SplitEvidence(inner.split, f"{_label(script, call)}, over {inner.text}", bound=True)
    named = _bound_name_split(script, call)
    if named is not None and inner is not None and inner.split is Split.TEST:
        if _named_held_out_only(script, call):
            # `eval_loader = DataLoader(test_pairs)`: the data says which held-out split
            return SplitEvidence(inner.split, f"{_label(script, call)}, over {inner.text}", inner.official)
        if named.split is Split.VALIDATION and _data_named_test(script, call):
            # `val_set = TensorDataset(X_test, y_test)`: trust the binding, not the name around it
            # (a part cut from test data, `val_x = test_x[:n]`, is named for what it became)
            return SplitEvidence(inner.split, f"{_label(script, call)}, over {inner.text}", bound=True)
    if (named is not None and named.split is Split.TEST and inner is not None and inner.official
            and inner.split is Split.TRAIN and method_name(call) == "Subset"):
        # `holdout = Subset(CIFAR10(train=True), perm[:5000])`: a part carved from the published
        # training split is held out for validation, whatever it is called
        return SplitEvidence(Split.VALIDATION, f"{_label(script, call)}, a part of {inner.text}", official=True)
    return named or inner


def _data_named_test(script: Script, call: cst.Call) -> bool:
    """Every positional data argument of ``call`` is, under its conversions (``torch.from_numpy(x)``,
    ``x.float()``), a name that says test: ``TensorDataset(X_test, y_test)``."""
    found = False
    for arg in call.args:
        if arg.keyword is not None or arg.star:
            continue
        value = _unconverted(arg.value)
        written = _written_split(value) if type(value) in (cst.Name, cst.Attribute) else None
        if written is None or written.split is not Split.TEST:
            return False
        found = True
    return found


def _unconverted(value: cst.BaseExpression) -> cst.BaseExpression:
    """The data under its conversions: ``X_test`` in ``torch.from_numpy(X_test).float()``."""
    while type(value) is cst.Call:
        func = value.func
        if type(func) is cst.Attribute and func.attr.value in catalog.ROW_PRESERVING_METHODS:
            value = func.value
        elif (dotted(func) or "").rsplit(".", 1)[-1] in _DATA_WRAPPERS and value.args:
            value = value.args[0].value
        else:
            break
    return value


def split_at_binding(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> SplitEvidence | None:
    """A name bound once, to a call of a helper that forwards its ``train`` flag or the name of its
    split (``get_dataloader(split="valid")``, see ``_forwarded_train_flag``): judged at that call,
    before its value is followed into the helper, where the parameter holds every caller's
    argument at once."""
    bindings = _own_bindings(expr, function)
    if len(bindings) != 1 or type(bindings[0].value) is not cst.Call or bindings[0].unpacked:
        return None
    return _forwarded_train_flag(script, bindings[0].value)


# parameters of a project helper that name the split it builds (`get_dataloader(split="valid")`)
_SPLIT_PARAMETERS = ("split", "mode", "phase", "subset", "stage", "partition")


def _forwarded_split_name(script: Script, site: CallSite, callee: FunctionInfo) -> SplitEvidence | None:
    """A helper called once per split with the split's name, ``get_dataloader(split="valid")``,
    that hands the name on to the data it builds (``GTZANDataset(root, split)``,
    ``os.path.join(root, split)``): the split the literal names, each call judged by its own."""
    for parameter in _SPLIT_PARAMETERS:
        if parameter not in callee.params:
            continue
        passed = callee.argument(site, parameter)
        value = literal(passed) if passed is not None else literal(callee.param_default(parameter))
        said = split_from_name(value) if type(value) is str else None
        if said is None or not (any(
                type(arg.value) is cst.Name and arg.value.value == parameter for inner in callee.calls
                for arg in inner.node.args) or _selects_rows_by(callee, parameter)):
            continue
        return SplitEvidence(said, f"{_label(script, site.node)}, built with `{parameter}={value!r}`", official=True)
    return None


def _selects_rows_by(function: FunctionInfo, name: str) -> bool:
    """The function picks rows by the value of ``name``: ``META[META["split"] == split]``."""
    finder = _RowFilters(name)
    walk(function.node, finder)
    return finder.found


class _RowFilters(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.found = False

    def visit_Subscript(self, node: cst.Subscript) -> None:
        for element in node.slice:
            index = element.slice
            if (type(index) is cst.Index and type(index.value) is cst.Comparison
                    and any(dotted(side) == self.name for side in (index.value.left, *(
                        target.comparator for target in index.value.comparisons)))):
                self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return not self.found


def _validation_cut_from_test(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
                              depth: int) -> SplitEvidence | None:
    """``val_x`` of ``val_x, test_x = test_x[:half], test_x[half:]``: a validation part cut from
    the test data, the rest kept as the test set (the name rebound to its other part), is a
    validation set: choosing on it leaves the reported test data untouched. A part cut from test
    data that stays whole is not (the choice then saw part of the reported data)."""
    if type(expr) is not cst.Name or split_from_name(expr.value) is not Split.VALIDATION:
        return None
    bindings = _own_bindings(expr, function)
    if not bindings or not all(_cut_of(binding.value) is not None for binding in bindings):
        return None
    for binding in bindings:
        container = _cut_of(binding.value)
        rest = [_cut_of(other.value) for other in _own_bindings(container, function)]
        if not any(cut is not None and cut.value == container.value for cut in rest):
            return None  # `test_x` stays whole: the reported test data holds the validation part
        found = _data_split(script, container, function, depth + 1)
        if found is None or found.split is not Split.TEST:
            return None
    return SplitEvidence(Split.VALIDATION, f"`{expr.value}`, a part cut from the test data, the rest kept as the test set")


def _cut_of(value: cst.BaseExpression) -> cst.Name | None:
    """``test_x`` for ``test_x[:half]`` or ``test_x[half:]``: a range of a named array's rows."""
    if type(value) is cst.Subscript and type(value.value) is cst.Name and len(value.slice) == 1 and type(
            value.slice[0].slice) is cst.Slice:
        return value.value
    return None


def _helper_call(script: Script, expr: cst.BaseExpression, function: FunctionInfo):
    """(the call, its function) when ``expr`` is a call of a helper of the file, or a name bound
    once to one (or to an element of what it returns); (None, None) otherwise."""
    bindings = _own_bindings(expr, function)
    if len(bindings) == 1:
        element = bindings[0].element()
        expr, function = (element[0] if element is not None else bindings[0].value), bindings[0].function
    if type(expr) is cst.Call and not script.is_imported(expr.func) and script.local_factory(expr, function) is not None:
        return expr, function
    return None, None


def _own_bindings(expr: cst.BaseExpression, function: FunctionInfo) -> list:
    """The assignments of the name ``expr`` in the scope that binds it; none for anything else and
    for a parameter (whose values are what its callers pass)."""
    if type(expr) is not cst.Name:
        return []
    scope = function.binding_scope(expr.value)
    if scope is None or expr.value in scope.params:
        return []
    return scope.bindings.get(expr.value, [])


def _forwarded_train_flag(script: Script, call: cst.Call) -> SplitEvidence | None:
    """A helper of the project called once per split, ``build_dataset(root, train=False)``, that hands
    its ``train`` parameter on to a published dataset (``CIFAR100(root, train=train)``): the split
    this call's literal says (each call judged with its own argument)."""
    site = script.site_of(call)
    callee = script.callee(site) if site is not None and not script.is_imported(call.func) else None
    if callee is None:
        return None
    named = _forwarded_split_name(script, site, callee)
    if named is not None:
        return named
    if "train" not in callee.params:
        return None
    passed = callee.argument(site, "train")
    train = literal(passed) if passed is not None else literal(callee.param_default("train"))
    if train is not True and train is not False:
        return None
    for inner in callee.calls:
        forwarded = call_arg(inner.node, None, "train")
        if (type(forwarded) is cst.Name and forwarded.value == "train" and script.is_imported(inner.node.func)
                and (script.qualname(inner.node.func) or "").startswith(catalog.DATASET_PREFIXES)):
            said = Split.TRAIN if train else Split.TEST
            return SplitEvidence(said, f"{_label(script, call)}, built with `train={train}`", official=True)
    return None


def _source_split(script: Script, call: cst.Call, function: FunctionInfo) -> SplitEvidence | None:
    """What the data source says about itself: ``train=False``, ``split="test"``, a ``test/`` folder.
    For a dataset class of the project (not a library's published dataset), ``train=False`` only
    says "not for training": the folder it reads says which held-out split
    (``MyDataset(root="data/validate/", train=False)`` is the validation set), and a folder that
    contradicts it leaves the split unknown."""
    label = _label(script, call)
    folder = _folder_split(script, call, function)
    train = literal(call_arg(call, None, "train"))
    if train is False and _flag_only_switches(script, call):
        train = None  # `LeafDataset(val_df, train=False)`: no augmentation, whatever data it is given
    if train is True or train is False:
        said = Split.TRAIN if train else Split.TEST
        published = (script.qualname(call.func) or "").startswith(catalog.DATASET_PREFIXES)
        if folder is not None and folder[0] is not said and not published:
            if train is False and folder[0] is Split.VALIDATION:
                return SplitEvidence(folder[0], f"{label}, read from {folder[1]}", official=True)
            return None
        return SplitEvidence(said, f"{label}, built with `train={train}`", official=True)
    for keyword in _SOURCE_SPLIT_KEYWORDS:
        split = literal(call_arg(call, None, keyword))
        if isinstance(split, str) and split_from_name(split):
            return SplitEvidence(split_from_name(split), f"{label}, built with `{keyword}={split!r}`", official=True)
    # `ModelNet(root, "test", transform)`: a split's name passed by position after the data's root
    named = {value for arg in call.args[1:] if arg.keyword is None and not arg.star
             and isinstance(value := literal(arg.value), str) and value.lower() in SPLIT_NAMES}
    if len(named) == 1:
        value = named.pop()
        return SplitEvidence(split_from_name(value), f"{label}, built with {value!r}", official=True)
    if folder is not None and script.is_imported(call.func):
        return SplitEvidence(folder[0], f"{label}, read from {folder[1]}", official=True)
    return None


def _flag_only_switches(script: Script, call: cst.Call) -> bool:
    """The dataset class of the file (or of the project module it borrows) reads no split's data by
    its ``train`` flag: it hands it to no published dataset (``CIFAR10(root, train=train)``) and
    names no held-out folder or file (``"test"``, ``"val.csv"``), so the flag only switches
    behaviour (augmentation) and the data it is given decides the split."""
    cls = script.classes.get(script.qualname(call.func) or "") if not script.is_imported(call.func) else None
    if cls is None or not script.class_is(cls, catalog.DATASET_BASES):
        return False
    memo = script.memo.setdefault(_flag_only_switches, {})
    if cls.name not in memo:
        strings = _Strings()
        walk(cls.node, strings)
        # (a string with spaces is prose: a docstring, a message)
        names_split = any(_text_splits(part) & HELD_OUT for part in strings.parts if not re.search(r"\s", part))
        forwards = any(call_arg(site.node, None, "train") is not None and literal(call_arg(site.node, None, "train")) is ...
                       for method in cls.methods.values() for site in method.calls)
        memo[cls.name] = not names_split and not forwards
    return memo[cls.name]


# Keywords whose literal names the split a dataset call builds: `split="test"`, VOC's
# `image_set="val"`, a project class's `CellDataset(..., data_type="validate")`.
_SOURCE_SPLIT_KEYWORDS = ("split",) + tuple(p for p in _SPLIT_PARAMETERS if p != "split") + (
    "image_set", "data_type", "dataset_type", "split_type", "set_type", "data_split", "set_name")

# a split's name as a data call's argument
SPLIT_NAMES = frozenset({"train", "training", "val", "valid", "validation", "dev", "test", "testing"})
# the words of an `if` test that chooses a split rather than a configuration (`_assigned_under_if`)
_SPLIT_TEST_WORDS = SPLIT_NAMES | {"eval", *_SPLIT_PARAMETERS}

# Keywords that name the folder a dataset reads.
_FOLDER_KEYWORDS = ("root", "root_dir", "data_dir", "data_path", "path", "folder", "directory")


def _folder_split(script: Script, call: cst.Call, function: FunctionInfo) -> tuple[Split, str] | None:
    """The split the folder a dataset call reads says (its first positional argument or a
    ``root=``-like keyword, followed through names: ``root=test_data_path`` with
    ``test_data_path = "data/validate/"``), and the path as written."""
    arg = call.args[0].value if call.args and call.args[0].keyword is None else None
    for keyword in _FOLDER_KEYWORDS:
        arg = arg or call_arg(call, None, keyword)
    if arg is None:
        return None
    found = {}
    for bound in script.values(arg, function):
        path = bound.expr
        declaration = script.option_declaration(path, bound.function)
        if declaration is not None:  # `args.eval_file`: the path it runs with by default
            path = call_arg(declaration, None, "default") or path
        split = path_split(path) if path_like(script, path) else None
        if split is None:
            return None
        found[split] = f"`{short_code(path)}`"
    return next(iter(found.items())) if len(found) == 1 else None


_PATH_CALLS = frozenset({"os.path.join", "pathlib.Path", "pathlib.PurePath", "posixpath.join"})


def path_like(script: Script, expr: cst.BaseExpression) -> bool:
    """A path written out: a string, an f-string, ``os.path.join(...)``, ``Path(...) / "val"``
    (not any expression holding a string: ``split["test"].map(...)`` is no folder)."""
    if type(expr) in (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString):
        return True
    if type(expr) is cst.BinaryOperation and type(expr.operator) in (cst.Divide, cst.Add):
        return path_like(script, expr.left) or path_like(script, expr.right)
    return type(expr) is cst.Call and script.qualname(expr.func) in _PATH_CALLS


def holds_a_setting(script: Script, name: str, function: FunctionInfo) -> bool:
    """The name (as ``function`` sees it) is only ever bound to a path, another string or a number
    (``MASK_DIR = "data/train_masks"``, ``val_dir = os.path.join(root, "val")``, ``max_len = 256``):
    one value handed to a dataset, not a collection of samples."""
    scope = function.binding_scope(name)
    if scope is None or name in scope.params:
        return False
    assignments = scope.bindings.get(name, [])
    return bool(assignments) and all(
        assignment.value is not None and not assignment.unpacked
        and (path_like(script, assignment.value) or type(literal(assignment.value)) in (int, float, bool)
             or _column_names(assignment.value))
        for assignment in assignments)


def _column_names(expr: cst.BaseExpression) -> bool:
    """A frame's column labels (``df.columns``, ``[c for c in df.columns if c != "id"]``,
    ``list(df.columns[1:])``, ``df.columns.tolist()``): names of fields, not samples."""
    for _ in range(4):
        if type(expr) is cst.ListComp:
            expr = expr.for_in.iter
        elif type(expr) is cst.Call and (type(expr.func) is cst.Name and expr.func.value in ("list", "sorted", "tuple")
                                         and expr.args):
            expr = expr.args[0].value
        elif type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value in ("tolist", "drop"):
            expr = expr.func.value
        elif type(expr) is cst.Subscript:
            expr = expr.value
        else:
            break
    return type(expr) is cst.Attribute and expr.attr.value == "columns"


def _label(script: Script, call: cst.Call) -> str:
    names = names_bound_to(script, call)
    return f"`{names[0]}`" if names else f"`{short_code(call.func)}(...)`"


def _bound_name_split(script: Script, call: cst.Call) -> SplitEvidence | None:
    splits = {split_from_name(name): name for name in names_bound_to(script, call)}
    splits.pop(None, None)
    if len(splits) != 1:
        return None
    split, name = splits.popitem()
    return SplitEvidence(split, f"`{name}`")


@dataclass(frozen=True)
class HelperLoader:
    """One call of a helper of the file that builds a DataLoader over the dataset it is handed
    (``val_loader = make_loader(train_set, train=False)``): the call, the split its result is
    named for, and the dataset the call hands in."""

    call: CallSite
    split: Split
    dataset: cst.BaseExpression


def helper_loaders(script: Script) -> list[HelperLoader]:
    return _helper_loaders(script)


@memoized
def _helper_loaders(script: Script) -> list[HelperLoader]:
    out = []
    for loader in dataloaders(script):
        function = loader.obj.function
        dataset = loader.dataset
        if function.is_module or type(dataset) is not cst.Name or dataset.value not in function.params:
            continue
        if function.bindings.get(dataset.value) or not any(
                returned is loader.call or dotted(returned) in names_bound_to(script, loader.call)
                for returned in function.returns):
            continue  # the helper must hand back the loader it builds over its parameter
        for site in script.call_sites_of(function):
            handed = function.argument(site, dataset.value)
            splits = {split_from_name(assignment.target) for assignments in site.function.bindings.values()
                      for assignment in assignments if assignment.value is site.node}
            hook = _LIGHTNING_HOOKS.get(site.function.name) if site.function.cls is not None else None
            if not splits and hook is not None and any(returned is site.node for returned in site.function.returns):
                splits = {hook}  # `def val_dataloader(self): return self._loader(self.val_ds)`
            if handed is not None and len(splits) == 1 and None not in splits:
                out.append(HelperLoader(site, splits.pop(), handed))
    return out


def _named_held_out_only(script: Script, call: cst.Call) -> bool:
    named = [name for name in names_bound_to(script, call) if split_from_name(name) is not None]
    return bool(named) and all(names_held_out_only(name) for name in named)


def _built_from(script: Script, call: cst.Call, function: FunctionInfo, depth: int) -> SplitEvidence | None:
    """``TensorDataset(X_val, y_val)``, ``raw["test"].map(tokenize)``, ``batches(X_test, y_test, 64)``:
    the split of the data it is made from, when its data arguments (or its receiver) agree."""
    func = call.func
    if type(func) is cst.Attribute and not script.is_imported(func):
        receiver = _data_split(script, func.value, function, depth + 1)
        if receiver is not None:
            return receiver
    if not _passes_data_through(script, call):
        return None
    found = [  # (`TensorDataset(*encode(test_df))`: the parts of what the starred call returns)
        split for arg in call.args
        if arg.keyword is None and arg.star != "**" and literal(arg.value) is ...
        # `test_tf`: a transform, `train_cfg`: the settings, no data
        and not set(split_words(dotted(arg.value) or "")) & (VIEW_WORDS | SETTING_WORDS)
        and (split := _argument_split(script, arg.value, function, depth)) is not None
    ] or _asked_split(script, call)
    if not found or len({split.split for split in found}) != 1:
        return None
    return found[0]


def _asked_split(script: Script, call: cst.Call) -> list[SplitEvidence]:
    """``load("test")``: a helper of the file handed one literal split name (or a path naming
    one) reads that split; each call its own (the helper's body, read alone, holds every split
    any caller asks for)."""
    site = script.site_of(call)
    if site is None or script.is_imported(call.func) or script.callee(site) is None:
        return []
    named = []
    for arg in call.args:
        value = literal(arg.value)
        if not isinstance(value, str):
            continue
        if "/" in value or "." in value:  # a path: the folder or file it names
            said = path_split(arg.value)
            split = SplitEvidence(said, f"read from `{short_code(arg.value)}`", official=True) if said else None
        else:
            split = _named(value, f"`{short_code(call)}`")
        if split is not None:
            named.append(split)
    return named if len(named) == 1 else []


def _argument_split(script: Script, value: cst.BaseExpression, function: FunctionInfo, depth: int) -> SplitEvidence | None:
    """The split a data argument holds; a path written out (``os.path.join(root, "seg_test")``,
    handed to a helper that reads the folder) by the folder it names."""
    if path_like(script, value):
        said = path_split(value)
        return SplitEvidence(said, f"read from `{short_code(value)}`", official=True) if said is not None else None
    return _data_split(script, value, function, depth + 1)


# words of a name that hold how samples look, not which samples (a transform handed beside the
# data, the training statistics that normalize it, the vocabulary that encodes it)
VIEW_WORDS = frozenset({"transform", "transforms", "tf", "tfs", "tfm", "tfms", "aug", "augs", "augment",
                         "augmentation", "augmentations", "preprocess", "mean", "std", "mu", "sigma", "stats",
                         "scaler", "vocab", "tokenizer"})

# words of a name that hold settings (`train_cfg`, `test_args`, `val_params`): the split word in
# it says which stage they configure, not which samples they are
SETTING_WORDS = frozenset({"cfg", "cfgs", "config", "configs", "conf", "args", "opt", "opts", "options",
                           "params", "hparams", "hp", "hps", "hyperparams", "settings", "kwargs"})


def _passes_data_through(script: Script, call: cst.Call) -> bool:
    """A wrapper (``TensorDataset``, ``torch.tensor``), a local helper or generator, a call
    named for batching (``iterate_minibatches``), or a dataset class of the project that is not
    in view (``BCIDataset(X_test, y_test, augment=False)``): what it returns is made of its
    arguments."""
    qualname = script.qualname(call.func) or ""
    last = qualname.rsplit(".", 1)[-1]
    if last in _DATA_WRAPPERS or _BATCHING_NAME.search(last):
        return True
    if script.is_imported(call.func) and catalog.project_dataset(qualname):
        return True
    cls = script.classes.get(qualname) if not script.is_imported(call.func) else None
    if cls is not None and script.class_is(cls, catalog.DATASET_BASES):
        return True  # a dataset class of the file, built over the frame it is given
    site = script.site_of(call)
    return site is not None and not script.is_imported(call.func) and script.callee(site) is not None


def _element_split(script: Script, expr: cst.Subscript, container: cst.BaseExpression, index: int,
                   function: FunctionInfo, depth: int) -> SplitEvidence | None:
    """One part of a pair: ``(x_test, y_test)`` of Keras' ``load_data()`` is the official test split;
    a part of a helper's result mapped from its arguments one to one is the argument's split."""
    mapped = mapped_argument(script, container, index)
    if mapped is not None:  # `Xtr, ytr, Xte, yte = to_tensor(X_train, y_train, X_test, y_test)`
        return _data_split(script, mapped, function, depth + 1)
    for bound in script.values(container, function):
        value = bound.expr
        if type(value) is cst.Call and _keras_pair(script, value) and index in (0, 1, -1):
            split = Split.TRAIN if index == 0 else Split.TEST
            return SplitEvidence(split, f"`{short_code(value)}[{index}]`", official=True)
        carved = _carved_from_training(script, value, index, bound.function, depth)
        if carved is not None:
            return carved
        element = element_index(value)
        if element is not None:
            return _element_split(script, value, *element, bound.function, depth + 1)
    return None


def mapped_argument(script: Script, value: cst.BaseExpression, index: int) -> cst.BaseExpression | None:
    """The argument that part ``index`` of a helper's result is made from, when the helper maps
    its ``*arrays`` one to one (``def to_tensor(*arrays): return [torch.from_numpy(a) for a in
    arrays]``, or ``tuple(... for a in arrays)``)."""
    site = script.site_of(value) if type(value) is cst.Call else None
    helper = script.callee(site) if site is not None else None
    if helper is None or not helper.returns or any(arg.star or arg.keyword for arg in value.args):
        return None
    star = helper.node.params.star_arg if type(helper.node) is cst.FunctionDef else None
    if type(star) is not cst.Param:
        return None
    for returned in helper.returns:
        if type(returned) is cst.Call and dotted(returned.func) in ("tuple", "list") and len(returned.args) == 1:
            returned = returned.args[0].value
        if (type(returned) not in (cst.ListComp, cst.GeneratorExp) or returned.for_in.inner_for_in is not None
                or type(returned.for_in.iter) is not cst.Name or returned.for_in.iter.value != star.name.value):
            return None
    return value.args[index].value if -len(value.args) <= index < len(value.args) else None


def _keras_pair(script: Script, call: cst.Call) -> bool:
    """``mnist.load_data()``, ``keras.datasets.cifar10.load_data()``: (train, test) pairs."""
    if method_name(call) not in _PAIR_LOADERS or type(call.func) is not cst.Attribute:
        return False
    return ".datasets." in (script.qualname(call.func) or "") or (
        (dotted(call.func.value) or "").rsplit(".", 1)[-1] in _KERAS_DATASETS)


def _carved_from_training(script: Script, value: cst.BaseExpression, index: int, function: FunctionInfo,
                          depth: int) -> SplitEvidence | None:
    """A held-out part of ``random_split(train_set, ...)`` (any part after the first) is a
    validation part carved from the training data, whatever it is called (``self.holdout``,
    ``test_set``): the published test split is another dataset."""
    if type(value) is not cst.Call or method_name(value) != "random_split" or index == 0 or not value.args:
        return None
    source = _data_split(script, value.args[0].value, function, depth + 1)
    if source is None or not source.official or source.split is not Split.TRAIN:
        return None
    return SplitEvidence(Split.VALIDATION, f"a part of {source.text} carved by `random_split()`", official=True)


def phase_split(script: Script, loop: LoopInfo, phase: str) -> SplitEvidence | None:
    """The split a phase loop (``for phase in ['train', 'val']:``) walks in one phase: its inner
    loops over ``dataloaders[phase]``, read at that phase's key. ``dataloaders['val']`` is the
    test split when it holds a ``val_loader`` over ``CIFAR10(train=False)``, whatever the phase
    is called."""
    if type(loop.target) is not cst.Name:
        return None
    stack = list(loop.children)
    while stack:
        inner = stack.pop()
        stack.extend(inner.children)
        source = script.loop_source(inner)
        if type(source) is not cst.Subscript or len(source.slice) != 1:
            continue
        key = source.slice[0].slice
        if type(key) is not cst.Index or type(key.value) is not cst.Name or key.value.value != loop.target.value:
            continue
        found = data_split(script, _phase_entry(script, source, phase), inner.function)
        if found is not None:
            return SplitEvidence(found.split, f"`{short_code(source.value)}[{phase!r}]`, {found.text}", found.official)
    return None


def _phase_entry(script: Script, source: cst.Subscript, phase: str) -> cst.Subscript:
    """``dataloaders['val']`` for ``dataloaders[phase]``: built once per file and kept, since the
    analysis caches answers by node identity."""
    entries = script.__dict__.setdefault("_phase_entries", {})
    key = (id(source), phase)
    if key not in entries:
        entries[key] = source.with_changes(slice=[cst.SubscriptElement(cst.Index(cst.SimpleString(repr(phase))))])
    return entries[key]


def _literal_key(subscript: cst.Subscript) -> str | None:
    """``dataloaders["test"]`` -> 'test'; a variable key (``dataloaders[phase]``) says nothing."""
    key = literal_key(subscript)
    return key if key is not None and split_from_name(key) else None


def method_name(call: cst.Call) -> str:
    """The called attribute or name, also on call chains (``pd.read_csv(f).sample`` -> ``sample``)."""
    func = call.func
    if type(func) is cst.Attribute:
        return func.attr.value
    return func.value if type(func) is cst.Name else ""


class _Strings:
    def __init__(self) -> None:
        self.parts: list[str] = []

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        value = literal(node)
        if isinstance(value, str):
            self.parts.append(value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.parts.append(node.value)


def path_split(expr: cst.BaseExpression) -> Split | None:
    """The split the folders and file names of a path's literal parts say: ``"data/val"``,
    ``os.path.join(root, "test")``, ``f"{root}/valid"``, ``"../data/test_data_y.h5"``; None when
    none or several."""
    strings = _Strings()
    walk(expr, strings)
    splits = {split for part in strings.parts for split in _text_splits(part)}
    return splits.pop() if len(splits) == 1 else None


def _text_splits(part: str) -> set[Split]:
    """The splits the folders and file names of one string name (``"data/test_x.npy"``: test)."""
    splits = set()
    for piece in re.split(r"[/\\]", part):
        stem = piece.split(".", 1)[0]  # `test_data_y.h5` -> `test_data_y`; `..` -> ``
        split = split_from_name(stem) if stem else None
        if split:
            splits.add(split)
    return splits


_CONCAT = frozenset({"torch.utils.data.ConcatDataset", "torch.utils.data.dataset.ConcatDataset"})


def joined_datasets(script: Script, expr: cst.BaseExpression, function: FunctionInfo,
                    depth: int = 0) -> list[tuple[cst.BaseExpression | None, FunctionInfo]]:
    """The datasets a value is made of, each with the function its names belong to: the members
    ``ConcatDataset([a, b])`` (or ``a + b``) joins, followed through their names; the value itself
    otherwise. A member whose value is not in the file is ``None``."""
    members: list[cst.BaseExpression] | None = None
    if type(expr) is cst.Call and script.qualname(expr.func) in _CONCAT and depth < 3:
        listed = call_arg(expr, 0, "datasets")
        if type(listed) in (cst.List, cst.Tuple):
            members = [element.value for element in listed.elements]
    elif type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add and depth < 3:
        members = [expr.left, expr.right]
    if members is None:
        return [(expr, function)]
    out: list[tuple[cst.BaseExpression | None, FunctionInfo]] = []
    for member in members:
        if type(member) is cst.Call:
            out += joined_datasets(script, member, function, depth + 1)
            continue
        bounds = script.values(member, function)
        if not bounds:
            out.append((None, function))
        for bound in bounds:
            out += joined_datasets(script, bound.expr, bound.function, depth + 1)
    return out


def dataset_split(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> Split | None:
    """The split of a dataset expression (see ``data_split``)."""
    evidence = data_split(script, expr, function)
    if evidence is not None:
        return evidence.split
    return split_from_name(dotted(expr)) if expr is not None else None


def loops_over(script: Script, obj: Obj) -> list[LoopInfo]:
    """The loops that walk this loader (directly, through a parameter, a wrapper like
    ``enumerate(tqdm(loader))``), as far as the bindings tell."""
    return list(_loops_over(script, obj))


@memoized
def _loops_over(script: Script, obj: Obj) -> tuple[LoopInfo, ...]:
    return tuple(loop for loop in script.loops if _walks(script, loop, obj))


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


def never_used(script: Script, obj: Obj) -> bool:
    """Nothing in the file reads the loader: no loop walks it, no call is given it, and its names
    appear nowhere but where they are bound (a spare ``train_loader_at_eval`` left from a template)."""
    if loops_over(script, obj) or _calls_given(script).get(id(obj.call)):
        return False
    names = {name for name in names_bound_to(script, obj.call) if "." not in name}
    return bool(names) and not _other_uses(obj.function.node, names)


def peeked_once(script: Script, obj: Obj) -> bool:
    """The loader is built only to take one batch to look at: ``next(iter(DataLoader(ds, 18)))``,
    written inline and read nowhere else (a preview beside the loader training walks)."""
    given = _calls_given(script).get(id(obj.call), ())
    if not given or names_bound_to(script, obj.call) or loops_over(script, obj):
        return False
    for site in given:
        outer = _calls_given(script).get(id(site.node), ()) if site.name == "iter" else ()
        if not outer or any(wrapper.name != "next" for wrapper in outer):
            return False
    return True


def trained_over(script: Script, obj: Obj) -> bool:
    """A loop over the loader trains, whoever calls its function (the cheap half of
    ``feeds_training``: no search of where else the loader goes)."""
    return any(script.loop_always_trains(loop) for loop in loops_over(script, obj))


@memoized
def _feeds_training(script: Script, obj: Obj) -> bool | None:
    call = obj.call
    loops = loops_over(script, obj)
    if trained_over(script, obj):
        return True
    if any(script.loop_trains(loop) for loop in loops):
        return None  # a loop that trains or evaluates depending on its caller's arguments
    used = bool(loops)
    for site in _calls_given(script).get(id(call), ()):
        if script.callee(site) is None and site.name != "len" and site.method not in catalog.ITERABLE_WRAPPERS:
            return None  # handed to code this file does not show
        used = True
    names = {name for name in names_bound_to(script, call) if "." not in name}
    if not used or not names or _other_uses(obj.function.node, names):
        return None
    return False


def resampled_at_random(script: Script, obj: Obj) -> bool:
    """The loader is handed to a library call that gives back a copy drawing its batches at random
    (``privacy_engine.make_private(data_loader=train_loader, ...)``): training walks the copy, and
    the loader itself is only its template."""
    return any(_resamples_at_random(script, site) for site in _calls_given(script).get(id(obj.call), ()))


def _resamples_at_random(script: Script, site: CallSite) -> bool:
    if site.method not in catalog.RANDOM_RESAMPLING_METHODS or literal(site.arg(None, "poisson_sampling")) is False:
        return False
    owners = [script.qualname(site.node.func)]
    if site.receiver is not None:
        owners += [script.qualname(bound.expr.func) for bound in script.values(site.receiver, site.function)
                   if type(bound.expr) is cst.Call]
    return any(owner and owner.startswith(catalog.RANDOM_RESAMPLING_LIBRARIES) for owner in owners)


@memoized
def _calls_given(script: Script) -> dict[int, list[CallSite]]:
    """For each call expression (by ``id``), the call sites that receive its value as an argument
    (``len(loader)``, ``compute_stats(loader)``): worked out once for all loaders."""
    index: dict[int, list[CallSite]] = {}
    for site in script.calls:
        for arg in site.node.args:
            for bound in script.values_at(arg.value, site.function, site.order, site.loop):
                if type(bound.expr) is cst.Call:
                    found = index.setdefault(id(bound.expr), [])
                    if not found or found[-1] is not site:
                        found.append(site)
    return index


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


def loader_split(script: Script, obj: Obj) -> tuple[Split | None, str | None]:
    """The loader's split and the evidence for it: 'usage' (a loop over it trains), 'hook' (built in a
    Lightning ``val_dataloader``-style hook), 'name', 'dataset'."""
    hook = _LIGHTNING_HOOKS.get(obj.function.name) if obj.function.cls is not None else None
    if hook is not None:
        return hook, "hook"
    if trained_over(script, obj):
        return Split.TRAIN, "usage"
    named = _bound_name_split(script, obj.call)
    if named is not None and named.split is not Split.VALIDATION:
        return named.split, "name"
    # only the data source can outweigh a validation name (a `val_loader` over the test set), and
    # any test data a name that only says "held out" (`eval_loader` over `test_pairs`)
    dataset = data_split(script, loader_arg(obj.call, "dataset"), obj.function)
    if dataset is not None and (named is None or dataset.split is Split.TEST and (
            dataset.official or _named_held_out_only(script, obj.call))):
        return dataset.split, "dataset"
    return (named.split, "name") if named is not None else (None, None)


# keywords that name one split's data ------------------------------------------------------------
_TRAIN_PREFIXES = ("train_", "training_")
_HELD_OUT_PREFIXES = ("eval_", "val_", "valid_", "validation_", "dev_", "test_")
# what a keyword's rest names when it is data (`train_dataset`, `val_dir`, `eval_loader`), not a
# setting both splits may share (`train_batch_size=bs, eval_batch_size=bs`)
_DATA_WORDS = frozenset({"dataset", "datasets", "data", "dir", "path", "loader", "dataloader", "dataloaders", "set",
                         "ds", "dl", "root", "folder", "files", "file", "csv", "df", "images", "x", "samples"})


def paired_split_keywords(call: cst.Call) -> Iterator[tuple[str, cst.BaseExpression, cst.BaseExpression]]:
    """``(held-out keyword, its value, the training keyword's value)`` for each pair of data
    keywords of one call that differ only by the split they name: ``train_dataset=`` and
    ``eval_dataset=``, ``train_dir=`` and ``val_dir=``."""
    given = {arg.keyword.value: arg.value for arg in call.args if arg.keyword is not None}
    for keyword, value in given.items():
        prefix = next((p for p in _TRAIN_PREFIXES if keyword.startswith(p)), None)
        rest = keyword[len(prefix):] if prefix is not None else ""
        if not rest or rest.split("_")[-1].lower() not in _DATA_WORDS:
            continue
        for held_prefix in _HELD_OUT_PREFIXES:
            held = given.get(held_prefix + rest)
            if held is not None:
                yield held_prefix + rest, held, value


def dataset_helper(script: Script, call: cst.Call) -> FunctionInfo | None:
    """A function of the file that returns a dataset it builds (``return GarbageDataset(frame, tf)``)."""
    site = script.site_of(call)
    helper = script.local_factory(call, site.function) if site is not None else None
    if helper is None or helper.cls is not None or not helper.returns:
        return None
    returned = [value for value in helper.returns if type(value) is cst.Call and (
        script.is_imported(value.func) or (script.qualname(value.func) or "") in script.classes)]  # no helper of a helper
    return helper if len(returned) == len(helper.returns) and all(is_dataset_construction(script, value) for value in returned) else None


def is_dataset_construction(script: Script, call: cst.Call) -> bool:
    """A dataset built by ``call``: a library or project dataset class, or a helper of the file
    that returns one (``dataset_helper``)."""
    qualname = script.qualname(call.func) or ""
    if not script.is_imported(call.func) and qualname not in script.classes:
        return dataset_helper(script, call) is not None
    if script.is_imported(call.func):
        last = qualname.rsplit(".", 1)[-1]
        if last in ("Subset", "ConcatDataset"):
            return False
        # the project's own dataset class, imported from a module not in view (`from data.dataset
        # import DefectDataset`): built twice with the same data, it holds the same samples
        return catalog.kind_of(qualname) is ObjKind.DATASET or catalog.project_dataset(qualname)
    cls = script.classes.get(qualname)
    return cls is not None and script.class_is(cls, catalog.DATASET_BASES)
