"""What a transform does to the data: whether it applies random augmentation.

Part of the shared analysis (FIT402 asks it). A transform expression is followed to the values it
may be bound to (names, ``transforms_by_split["val"]`` dict items, lists of transforms joined with
``+``) and into composers (``Compose``, ``Sequential``, ``OneOf``...) of torchvision, albumentations,
kornia, monai, torchaudio and audiomentations; a random op is one of the libraries' random classes, with its probability and
magnitude read where they decide (``p=0``, a flip with ``p=1``, ``ColorJitter(0)``, a fixed-sigma
``GaussianBlur`` are not random). Test-time augmentation is recognised by name. A dataset augments
when its transform does, or when its class augments every item in ``__getitem__`` itself
(``always_augments``); ``augmented_source`` answers it for what a split or a sampler draws from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.data import (
    SPLIT_NAMES, dataloaders, dataset_helper, function_draws, joined_datasets, names_bound_to, path_split,
    split_from_name,
)
from fitlint.analysis.script import (
    Bound, CallSite, ClassInfo, FunctionInfo, Script, call_arg, dotted, if_tests_holding, literal, literal_key,
    live_statements, references, short_code, statement_places,
)
from fitlint.findings import HELD_OUT, Split
from fitlint.words import words as split_words

# Random transforms by library; a composer's elements are looked into instead.
_TORCHVISION_RANDOM = frozenset({
    "RandomCrop", "RandomHorizontalFlip", "RandomVerticalFlip", "RandomResizedCrop", "RandomSizedCrop",
    "ColorJitter", "RandomRotation", "RandomAffine", "RandomErasing", "RandomPerspective",
    "RandomGrayscale", "AutoAugment", "RandAugment", "TrivialAugmentWide", "AugMix", "GaussianBlur",
    "RandomInvert", "RandomPosterize", "RandomSolarize", "RandomAdjustSharpness", "RandomAutocontrast",
    "RandomEqualize", "ElasticTransform", "RandomPhotometricDistort", "RandomZoomOut", "RandomIoUCrop",
    "RandomResize", "RandomShortestSize", "ScaleJitter", "RandomChannelPermutation", "GaussianNoise",
    "RandomApply", "RandomChoice", "RandomOrder", "JPEG",
})
_ALBUMENTATIONS_RANDOM = frozenset({
    "HorizontalFlip", "VerticalFlip", "Flip", "Transpose", "RandomRotate90", "Rotate", "SafeRotate",
    "ShiftScaleRotate", "Affine", "Perspective", "ElasticTransform", "GridDistortion", "OpticalDistortion",
    "ColorJitter", "HueSaturationValue", "RGBShift", "ChannelShuffle", "ToGray", "ToSepia", "CLAHE",
    "GaussNoise", "GaussianBlur", "MotionBlur", "MedianBlur", "Blur", "GlassBlur", "CoarseDropout",
    "Cutout", "GridDropout", "Downscale", "ImageCompression", "JpegCompression", "Sharpen", "Emboss",
    "Posterize", "Solarize", "Equalize", "InvertImg", "ISONoise", "MultiplicativeNoise", "OneOf", "SomeOf",
    "OneOrOther", "CropNonEmptyMaskIfExists", "BBoxSafeRandomCrop", "PixelDropout", "XYMasking",
})
# Flips and colour drops that always apply with p=1: deterministic (a deliberate flip).
_FLIPS = frozenset({"RandomHorizontalFlip", "RandomVerticalFlip", "HorizontalFlip", "VerticalFlip",
                    "Transpose", "ToGray", "RandomGrayscale", "RandomInvert", "RandomEqualize",
                    "RandomAutocontrast"})
_COMPOSERS = frozenset({"Compose", "Sequential", "SomeOf", "OneOf", "OneOrOther", "RandomApply", "RandomChoice",
                        "RandomOrder", "AugmentationSequential", "ReplayCompose"})
_LIBRARIES = ("torchvision.transforms", "albumentations", "kornia.augmentation", "monai.transforms",
              "torchaudio.transforms", "audiomentations", "torch_audiomentations", "torchtoolbox.transform")
# torchaudio's random ops (SpecAugment's masks); its other transforms are deterministic
_TORCHAUDIO_RANDOM = frozenset({"FrequencyMasking", "TimeMasking", "SpecAugment"})
# torchvision datasets that take `transform` positionally: (class name -> position)
TRANSFORM_POSITION = {"ImageFolder": 1, "CIFAR10": 2, "CIFAR100": 2, "MNIST": 2, "FashionMNIST": 2,
                       "KMNIST": 2, "QMNIST": 2, "SVHN": 2}
_TTA = re.compile(r"(^|[^a-z])tta|test_?time", re.IGNORECASE)
_MAX_DEPTH = 6


def random_transform(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo,
                     depth: int = 0) -> cst.Call | None:
    """The random augmentation call a transform expression applies, when every value it may be
    bound to applies one (so a transform chosen by a condition is not), else None."""
    if expr is None or depth > _MAX_DEPTH:
        return None
    # once per value and depth: a transform composed of transforms composed of... was asked once per path
    key = (script.value_key(expr, function), depth)
    memo = script.memo.setdefault(random_transform, {})
    if key not in memo or (key[0][0] == "node" and memo[key][0] is not expr):
        memo[key] = (expr, _random_transform(script, expr, function, depth))
    return memo[key][1]


def _random_transform(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> cst.Call | None:
    if type(expr) is cst.Call and not script.is_imported(expr.func) and (script.qualname(expr.func) or "") not in script.classes:
        # a helper of the file, asked for what it returns for this call's arguments
        site = script.site_of(expr)
        helper = script.callee(site) if site is not None else None
        if helper is not None and helper.cls is None and helper.returns:
            return _helper_random(script, expr, depth)
    found = None
    for bound in script.values(expr, function):
        call = _bound_random(script, bound, depth)
        if call is None:
            return None
        found = found or call
    return found


def _bound_random(script: Script, bound: Bound, depth: int) -> cst.Call | None:
    expr = bound.expr
    if type(expr) is cst.Subscript:
        value = _dict_item(script, expr, bound.function)
        return random_transform(script, value, bound.function, depth + 1) if value is not None else None
    if type(expr) is not cst.Call:
        return None
    qualname = script.qualname(expr.func) or ""
    if not script.is_imported(expr.func):
        cls = script.classes.get(qualname)
        if cls is not None:  # a transform class of the file: random when its __call__ draws
            return expr if _draws_when_called(script, cls, expr) else None
        return _helper_random(script, expr, depth)
    if qualname == "torch.nn.Sequential":
        return _elements_random(script, [arg.value for arg in expr.args if not arg.star], bound.function, depth)
    if not qualname.startswith(_LIBRARIES) and not _PROJECT_TRANSFORMS.match(qualname):
        return None
    last = qualname.rsplit(".", 1)[-1]
    probability = literal(call_arg(expr, None, "p"))
    if probability == 0:
        return None
    if last in _COMPOSERS:
        inner = call_arg(expr, 0, "transforms")
        found = _elements_random(script, [inner] if inner is not None else [], bound.function, depth)
        if found is not None or last in ("Compose", "Sequential", "ReplayCompose", "AugmentationSequential"):
            return found
        return expr if last in ("RandomChoice", "OneOf", "SomeOf", "OneOrOther") else None
    if not _is_random_op(qualname, last, expr):
        return None
    if last in _FLIPS and probability == 1:
        return None
    return expr


# a project's own `transforms` module (the copy of torchvision's detection references that the
# detection tutorial imports as `import transforms as T`): the same names, the same meaning
_PROJECT_TRANSFORMS = re.compile(r"^(?:\w+\.)*transforms\.(?:Compose|Random\w+)$")


def _draws_when_called(script: Script, cls: ClassInfo, call: cst.Call) -> bool:
    """A hand-written transform (``class Rotate: def __call__(self, sample): angle =
    np.random.uniform(...)``) that draws a random number each time it is applied, as ``call``
    builds it: a draw under ``if self.is_train:`` is off in ``VideoTransform(size, is_train=False)``."""
    method = script.method_of_class(cls, "__call__")
    if method is None or not function_draws(script, method):
        return False
    return any(not any(_switched_off(script, cls, test, call) for test in if_tests_holding(site))
               for site in method.calls if (script.qualname(site.node.func) or "").startswith(catalog.RANDOM_DRAW_PREFIXES))


def _switched_off(script: Script, cls: ClassInfo, test: cst.BaseExpression, call: cst.Call) -> bool:
    """``if self.<flag>:`` where the object ``call`` builds holds a false literal in that flag, or
    a parameter of the function that builds it (``VideoTransform(is_train=is_train)`` in a
    dataset's ``__init__``: each split's dataset can be built with it off)."""
    if type(test) is not cst.Attribute or dotted(test.value) != "self":
        return False
    value = script.constructed_with(cls, test.attr.value, call)
    if type(value) is cst.Name and value.value not in ("True", "False", "None"):
        site = script.site_of(call)
        return site is not None and value.value in site.function.params and not site.function.bindings.get(value.value)
    return value is not None and literal(value) in (False, 0, None)


def _is_random_op(qualname: str, last: str, call: cst.Call) -> bool:
    if _PROJECT_TRANSFORMS.match(qualname) and not qualname.startswith(_LIBRARIES):
        return last.startswith("Random")
    if qualname.startswith(("torchvision.transforms", "torchtoolbox.transform")):  # torchtoolbox copies the names
        if last not in _TORCHVISION_RANDOM:
            return False
        if last == "ColorJitter":
            values = [literal(arg.value) for arg in call.args]
            return bool(values) and any(value is ... or value != 0 for value in values)
        if last == "GaussianBlur":
            sigma = literal(call_arg(call, 1, "sigma"))
            return not isinstance(sigma, int | float)
        return True
    if qualname.startswith("albumentations"):
        return last in _ALBUMENTATIONS_RANDOM or last.startswith("Random")
    if qualname.startswith("kornia.augmentation"):
        return last.startswith("Random") or last in ("ColorJitter", "ColorJiggle")
    if qualname.startswith("torchaudio.transforms"):
        return last in _TORCHAUDIO_RANDOM
    if qualname.startswith(("audiomentations", "torch_audiomentations")):
        return last not in ("Compose", "OneOf", "SomeOf")  # AddGaussianNoise, TimeStretch, PitchShift, Shift...
    return last.startswith("Rand")  # monai: RandFlip, RandRotate, RandGaussianNoise, ...


def _elements_random(script: Script, exprs: list[cst.BaseExpression], function: FunctionInfo,
                     depth: int) -> cst.Call | None:
    for expr in exprs:
        for element in _elements(script, expr, function, depth):
            found = random_transform(script, element, function, depth + 1)
            if found is not None:
                return found
    return None


def _elements(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> list[cst.BaseExpression]:
    """The items of a transform list: a list literal, a name bound to one, `a + b`."""
    if depth > _MAX_DEPTH:
        return []
    if type(expr) in (cst.List, cst.Tuple):
        return [element.value for element in expr.elements if type(element) is not cst.StarredElement]
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Add:
        return _elements(script, expr.left, function, depth + 1) + _elements(script, expr.right, function, depth + 1)
    if type(expr) is cst.Name:
        out: list[cst.BaseExpression] = []
        for bound in script.values(expr, function):
            if bound.expr is not expr:
                out += _elements(script, bound.expr, bound.function, depth + 1)
            if type(bound.expr) is cst.List and not bound.function.is_module:
                # `transforms = []` then `transforms.append(T.RandomHorizontalFlip(0.5))`: the items
                # every call appends (one appended under `if train:` is not always there)
                out += [value for value, site in bound.function.items_added_to(expr.value)
                        if site.method == "append" and _always_runs(site)]
        return out
    return [expr]


def _always_runs(site) -> bool:
    """The call's statement runs whenever its function does: a statement of the function's own
    block (or of a ``with`` block in it), with no ``if``, loop or ``try`` around it."""
    place = statement_places(site.function).get(id(site.statement))
    return place is not None and len(place[0]) == 1


def _helper_random(script: Script, call: cst.Call, depth: int) -> cst.Call | None:
    """A helper of the file that builds the transform (``get_transform(train=False)``): random when
    every value it returns is (one that adds its flips only ``if train:`` is not)."""
    site = script.site_of(call)
    helper = script.callee(site) if site is not None else None
    if helper is None or helper.cls is not None or not helper.returns or depth > _MAX_DEPTH:
        return None
    found = None
    for returned in _returned_for(script, helper, site):
        random = random_transform(script, returned, helper, depth + 1)
        if random is None:
            return None
        found = found or random
    return found


def flag_chosen(script: Script, transform: cst.BaseExpression) -> bool:
    """``get_transforms(train=True)``: a call of a helper of the file whose arguments choose
    among the pipelines it can return (the call is the line to change, not the helper)."""
    if type(transform) is not cst.Call:
        return False
    site = script.site_of(transform)
    helper = script.callee(site) if site is not None else None
    if helper is None or helper.cls is not None or not helper.returns:
        return False
    live = script.live_for(helper, site)
    return live is not None and len(live) < len(live_statements(helper, {}))


def _returned_for(script: Script, helper: FunctionInfo, site: CallSite) -> list[cst.BaseExpression]:
    """What the helper may return for this call: a flag the call passes (or leaves at its
    default) as a literal decides the branches it tests (``get_transforms(data="train")`` returns
    the augmenting pipeline of ``if data == "train":``); a returned name keeps the values bound on
    the branches that run (``if train: tf = aug`` ... ``return tf``)."""
    live = script.live_for(helper, site)
    if live is None:
        return helper.returns
    out: list[cst.BaseExpression] = []
    for returned in helper.returns:
        if id(script.return_statements.get(id(returned))) not in live:
            continue
        assignments = helper.bindings.get(returned.value, ()) if type(returned) is cst.Name else ()
        if assignments and all(assignment.function is helper and not assignment.unpacked for assignment in assignments):
            out += [assignment.value for assignment in assignments if id(assignment.statement) in live]
        else:
            out.append(returned)
    return out


def _dict_item(script: Script, subscript: cst.Subscript, function: FunctionInfo) -> cst.BaseExpression | None:
    """`transforms_by_split["train"]` -> the dict literal's value for that literal key."""
    if len(subscript.slice) != 1 or type(subscript.slice[0].slice) is not cst.Index:
        return None
    key = literal(subscript.slice[0].slice.value)
    return _keyed_item(script, subscript.value, key, function) if isinstance(key, str) else None


def split_items(script: Script, site: CallSite, transform: cst.BaseExpression) -> list[tuple[str, cst.BaseExpression]]:
    """``data_transforms[x]`` handed to a dataset built for each key of a literal list (the
    transfer-learning tutorial's ``{x: ImageFolder(os.path.join(d, x), data_transforms[x]) for x in
    ['train', 'val']}``): each key with the dict literal's item for it."""
    if type(transform) is not cst.Subscript or len(transform.slice) != 1 or type(transform.slice[0].slice) is not cst.Index:
        return []
    index = dotted(transform.slice[0].slice.value)
    for targets, source in script.comprehension_sources(site):
        if index in targets and type(source) is cst.Name:  # `for x in TRAIN_PROCESS` with the list named
            bounds = script.values(source, site.function)
            source = bounds[0].expr if len(bounds) == 1 else source
        if index in targets and type(source) in (cst.List, cst.Tuple):
            keys = [literal(element.value) for element in source.elements]
            return [(key, item) for key in keys if isinstance(key, str)
                    for item in [_keyed_item(script, transform.value, key, site.function)] if item is not None]
    return []


def _keyed_item(script: Script, mapping: cst.BaseExpression, key: str, function: FunctionInfo) -> cst.BaseExpression | None:
    found = None
    for bound in script.values(mapping, function):
        if type(bound.expr) is not cst.Dict:
            return None
        for element in bound.expr.elements:
            if type(element) is cst.DictElement and literal(element.key) == key:
                found = element.value
    return found


def is_tta(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """Test-time augmentation by name: the transform or a name it is bound through says tta, or
    the function that uses it is told how many augmented views to make (``def
    test_dataset_loader(path, TTA): if TTA == 1: ... else: ...(transforms=test_transform)``)."""
    if _TTA.search(dotted(expr) or "") or any(_TTA.search(param) for param in function.params):
        return True
    for bound in script.values(expr, function):
        if type(bound.expr) is cst.Call and any(_TTA.search(name) for name in names_bound_to(script, bound.expr)):
            return True
    return False


# datasets ----------------------------------------------------------------------------------------
# the keywords a dataset takes its per-item transform by (custom classes: `transforms=train_tf`)
TRANSFORM_KEYWORDS = ("transform", "transforms", "tfms", "augmentations", "augmentation", "aug")


def names_transform(name: str) -> bool:
    """A name that holds a transform, whichever split's (``train_tf``, ``eval_transforms``)."""
    return bool(set(split_words(name)) & _TRANSFORM_WORDS)


def transform_keyword(name: str) -> bool:
    """A keyword or parameter that takes the inputs' transform: ``transform``, ``tfms``, and
    names built on them (``transforms_object``, ``img_transform``), not a label's or a mask's
    (``target_transform``), nor one of a split's (``train_transform=`` beside ``test_transform=``:
    the class picks)."""
    if name in TRANSFORM_KEYWORDS:
        return True
    parts = set(split_words(name))
    return bool(parts & _TRANSFORM_WORDS) and not parts & _NOT_INPUT_WORDS


_TRANSFORM_WORDS = frozenset({"transform", "transforms", "tf", "tfm", "tfms", "augmentation", "augmentations"})
_NOT_INPUT_WORDS = frozenset({"target", "targets", "label", "labels", "mask", "masks", "train", "training", "val",
                              "valid", "validation", "test", "eval", "dev"})


def transform_arg(script: Script, call: cst.Call) -> cst.BaseExpression | None:
    """The transform a dataset construction is given, by keyword or (torchvision) position."""
    for keyword in TRANSFORM_KEYWORDS:
        found = call_arg(call, None, keyword)
        if found is not None:
            return found
    found = next((arg.value for arg in call.args if arg.keyword is not None and transform_keyword(arg.keyword.value)), None)
    if found is not None:
        return found
    qualname = script.qualname(call.func) or ""
    if script.is_imported(call.func) and qualname.startswith("torchvision.datasets."):
        position = TRANSFORM_POSITION.get(qualname.rsplit(".", 1)[-1])
        if position is not None:
            return call_arg(call, position, None)
        return None
    # a dataset class of the file given its transform by position: `MyDataset(path, df, tsfm)`
    # against `def __init__(self, path, dataframe, transforms=None)`
    cls = script.classes.get(qualname) if not script.is_imported(call.func) else None
    site = script.site_of(call)
    init = script.method_of_class(cls, "__init__") if cls is not None else None
    if init is None and site is not None and not script.is_imported(call.func):
        # a helper of the file that builds the dataset (`make_dataset(root, "val", tfm)`)
        init = dataset_helper(script, call)
    if init is None or site is None:
        return _composed_positional(script, call) if script.is_imported(call.func) and not qualname.startswith(
            ("torch.", "torchvision.")) else None
    for keyword in TRANSFORM_KEYWORDS + tuple(p for p in init.params if transform_keyword(p)):
        if keyword in init.params:
            return init.argument(site, keyword)
    return None


def _composed_positional(script: Script, call: cst.Call) -> cst.BaseExpression | None:
    """A dataset class from a module out of view given, by position, the one argument that is a
    transform pipeline (`PennFudanDataset(root, T.Compose([...]))`, or a name bound to one)."""
    site = script.site_of(call)
    found = []
    for arg in call.args if site is not None else ():
        if arg.keyword is not None or arg.star:
            continue
        values = [bound.expr for bound in script.values(arg.value, site.function)]
        if values and all(type(value) is cst.Call and script.is_imported(value.func)
                          and (script.qualname(value.func) or "").startswith(_LIBRARIES)
                          and (script.qualname(value.func) or "").rsplit(".", 1)[-1] in _COMPOSERS for value in values):
            found.append(arg.value)
    return found[0] if len(found) == 1 else None


def always_augments(script: Script, cls: ClassInfo) -> tuple[cst.Call, cst.Call] | None:
    """The random augmentation a dataset class of the file applies to every item it returns: (where
    it is written, the random op), a random op its ``__getitem__`` runs
    under no ``if``, inline (``FrequencyMasking(p)(spec)``), through an attribute set to one
    (``self.augment = T.Compose([T.RandomCrop(32), ...])``), or in a function of the file it calls
    that way (two calls deep; ``AudioUtil.spectro_augment(sgram)``, a static method). None when the
    op depends on the dataset's arguments (``self.transform`` handed in) or runs only under a
    condition (``if self.train:``): each split can then be built without it."""
    function = script.method_of_class(cls, "__getitem__")
    if function is None:
        return None
    for site in function.calls:
        found = _augmenting_call(script, site, function, 0)
        if found is not None:
            return _written_at(script, site), found
    return None


def _written_at(script: Script, site: CallSite) -> cst.Call:
    """Where the augmentation a call of ``__getitem__`` runs is written: the call itself
    (``spectro_augment(spec)``), or for ``self.aug(image)`` the value ``__init__`` sets the
    attribute to (``self.aug = T.Compose([...])``, ``VideoTransform(is_train=True)``)."""
    func = site.node.func
    if type(func) is cst.Attribute and dotted(func.value) == "self":
        for bound in script.values(func, site.function):
            if type(bound.expr) is cst.Call:
                return bound.expr
    return site.node


def _augmenting_call(script: Script, site: CallSite, function: FunctionInfo, depth: int) -> cst.Call | None:
    """The random op the call runs under no ``if`` (itself, or in a function of the file it calls)."""
    if if_tests_holding(site):
        return None
    func = site.node.func
    if type(func) in (cst.Call, cst.Name) or type(func) is cst.Attribute and dotted(func.value) == "self":
        found = random_transform(script, func, function)
        if found is not None:
            return found
    callee = script.callee(site) if depth < 2 and not script.is_imported(func) else None
    if callee is None or callee is function:
        return None
    for inner in callee.calls:
        found = _augmenting_call(script, inner, callee, depth + 1)
        if found is not None:
            return found
    return None


@dataclass(frozen=True)
class Augmenting:
    """What augments a dataset: ``applier`` names it for a message (its transform, or its class's
    ``__getitem__``), ``call`` is the random op, ``per_item`` whether the class augments every item
    itself (no transform argument to swap); then ``item_call`` is where ``__getitem__``'s
    augmentation is written (``always_augments``): the line to change."""

    applier: str
    call: cst.Call
    per_item: bool = False
    item_call: cst.Call | None = None


def augmented_source(script: Script, source: cst.BaseExpression, site: CallSite) -> Augmenting | None:
    """(what applies it, random call) when every dataset ``source`` may be where the split takes
    it is built with augmentation (``train_set, val_set = random_split(train_set, ...)`` splits
    the ``train_set`` bound before the statement): its transform, or a dataset class of the file
    whose ``__getitem__`` augments every item."""
    found = None
    for bound in script.values_at(source, site.function, site.order, site.loop):
        # `ConcatDataset([ImageFolder(a, aug), ImageFolder(b, aug)])`: every member it joins
        for call, function in joined_datasets(script, bound.expr, bound.function):
            if type(call) is not cst.Call:
                return None
            transform = transform_arg(script, call)
            if transform is None:
                augmenting = augmenting_class(script, call)
                if augmenting is None:
                    return None
                found = found or augmenting
                continue
            random_call = random_transform(script, transform, function)
            if random_call is None or is_tta(script, transform, function):
                return None
            found = found or Augmenting(f"transform `{short_code(transform)}`", random_call)
            if _transform_reassigned(script, call):
                return None
    return found


def augmenting_class(script: Script, call: cst.Call) -> Augmenting | None:
    """(``UrbanSoundsDS.__getitem__``, its random op) for a dataset class of the file that
    augments every item it returns (``transforms.always_augments``)."""
    if script.is_imported(call.func):
        return None
    cls = script.classes.get(script.qualname(call.func) or "")
    if cls is None or not script.class_is(cls, catalog.DATASET_BASES):
        return None
    found = always_augments(script, cls)
    if found is None:
        return None
    return Augmenting(f"`{cls.name}.__getitem__`", found[1], per_item=True, item_call=found[0])


def _transform_reassigned(script: Script, call: cst.Call) -> bool:
    names = names_bound_to(script, call)
    return any(
        assignment.target.startswith(f"{name}.") for name in names for assignment in script.assigns
    )


def dataset_role(script: Script, call: cst.Call, function: FunctionInfo) -> Split | None:
    """The held-out split a dataset construction is for; None when unknown, training or contradictory.
    Evidence: `train=`, `split=`, the path, the names it is bound to, the loaders over it."""
    roles: set[Split | str] = set()  # "other", "ambiguous": evidence that rules a held-out role out
    train = literal(call_arg(call, None, "train"))
    if train is True or train is False:
        roles.add(Split.TRAIN if train else Split.TEST)
    split = literal(call_arg(call, None, "split"))
    if isinstance(split, str):
        roles.add(split_from_name(split) or "other")
    # a split's name passed by position (`make_dataset(root, "val", tfm)`, `ModelNet(root, "test")`)
    roles.update(split_from_name(value) for arg in call.args[1:] if arg.keyword is None
                 and isinstance(value := literal(arg.value), str) and value.lower() in SPLIT_NAMES)
    path = call_arg(call, 0, "root")
    if path is not None:
        found = path_split(path)
        if found:
            roles.add(found)
    named = {split_from_name(name) for name in names_bound_to(script, call)} - {None}
    roles |= named
    for loader in dataloaders(script):
        if loader.split is None or loader.split_evidence == "dataset":
            continue
        dataset = loader.dataset
        if dataset is not None and any(bound.expr is call for bound in script.values(dataset, loader.obj.function)):
            roles.add(loader.split)
    if train is True and named == {Split.VALIDATION} and roles == {Split.TRAIN, Split.VALIDATION}:
        # `val_full = CIFAR10(root, train=True, transform=...)`: a copy of the training split that a
        # validation part is drawn from (its own indices, `Subset(val_full, perm[:5000])`)
        return Split.VALIDATION
    if Split.TRAIN in roles or "other" in roles or "ambiguous" in roles or not roles:
        return None
    return Split.TEST if roles == {Split.TEST} else Split.VALIDATION


def held_out_run(script: Script, call: cst.Call, transform: cst.BaseExpression) -> Split | None:
    """The held-out split a dataset built once per key of a dict comprehension is built for with
    this same transform: ``{x: ImageFolder(os.path.join(d, x), data_transforms["train"]) for x in
    ["train", "val"]}`` builds the validation set with the training pipeline (a transform that
    names the key, ``data_transforms[x]``, differs per split: see ``split_items``)."""
    keys = script.comprehension_keys(call)
    comprehension = script.comprehension_of(call) if keys else None
    targets = {comprehension.for_in.target.value} if comprehension is not None else set()
    if not keys:
        # `for split, frame in (("train", trn_df), ("valid", val_df)): datasets[split] =
        # LeafDataset(frame, transforms=train_aug)`: a loop over the splits' names
        keys, targets = _phase_loop_keys(script, call)
    if not targets or targets & {dotted(node) for node in references(transform)}:
        return None
    held = [split_from_name(key) for key in keys if split_from_name(key) in HELD_OUT]
    return held[0] if held else None


def _phase_loop_keys(script: Script, call: cst.Call) -> tuple[list[str], set[str]]:
    """The split names a loop around ``call`` walks, written out (``for split in ["train", "val"]``,
    ``for split, frame in (("train", trn_df), ("valid", val_df))``), and the names its target binds."""
    site = script.site_of(call)
    loop = site.loop if site is not None else None
    if loop is None or type(loop.iter) not in (cst.Tuple, cst.List) or loop.target is None:
        return [], set()
    keys = []
    for element in loop.iter.elements:
        value = element.value
        if type(value) in (cst.Tuple, cst.List) and value.elements:
            value = value.elements[0].value
        key = literal(value)
        if not isinstance(key, str) or not split_from_name(key):
            return [], set()
        keys.append(key)
    targets = {dotted(node) for node in references(loop.target)} - {None}
    if any(targets & {dotted(node) for node in references(test)} for test in if_tests_holding(site)):
        return [], set()  # built under `if split == "train":`: one split's own construction
    return keys, targets


def names_training(transform: cst.BaseExpression) -> bool:
    """The transform is named for training: ``train_transform``, ``data_transforms["train"]``,
    ``get_train_transform()``."""
    if type(transform) is cst.Call:
        transform = transform.func
    name = dotted(transform) or (literal_key(transform) if type(transform) is cst.Subscript else None)
    return split_from_name(name) is Split.TRAIN if name else False
