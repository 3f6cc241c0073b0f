"""Which samples a data expression holds: whether two loaders, datasets or arrays are the same
data (the same object, followed through names as they are bound at that point; or one dataset built
twice with the same data arguments, whatever transforms each applies).

Part of the shared analysis: the rule on validation data that is the training data (FIT603) and
the rule on splits cut in stored order (FIT102, two copies of one dataset cut into head and tail)
ask here.
"""

from __future__ import annotations

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.catalog import ObjKind
from fitlint.analysis.data import VIEW_WORDS, dataset_helper, is_dataset_construction as _is_dataset, loader_arg, path_like
from fitlint.analysis.transforms import transform_arg
from fitlint.analysis.script import FunctionInfo, Script, code_of, dotted, element_index, literal_key

# keyword arguments that change how samples look, not which samples a dataset holds
_VIEW_KEYWORDS = ("transform", "aug", "download", "loader", "is_valid_file", "target_transform")
_MAX_HOPS = 8
Where = tuple[cst.BaseExpression, FunctionInfo, int]
_EVER = 10**12  # an order after every statement: any assignment in an enclosing scope


def same_samples(script: Script, a: Where, b: Where) -> bool | cst.Call:
    """Whether two expressions hold the same samples: the same object (followed through names as
    they are bound at that point: True), or two constructions with the same arguments apart from
    transforms (the same dataset built twice: ``a``'s construction, the line to change)."""
    left, right = data_source(script, *a), data_source(script, *b)
    if left is None or right is None:
        return False
    if left[0] == right[0]:
        return True
    if left[0][0] == right[0][0] == "via" and left[0][1] != right[0][1]:
        return False  # built inside a helper by two of its calls: what each is built from is the call's
    return _same_construction(script, left, right) and (left[1] if type(left[1]) is cst.Call else True)


def split_off(script: Script, part: Where, whole: Where) -> bool:
    """``part`` is a piece that ``random_split`` or ``Subset`` cut from the samples ``whole`` holds
    (``train_part, val_part = random_split(train_data, ...)``, while training walks all of
    ``train_data``, or a second copy of that published split): every sample of the part is also
    in the whole."""
    source = data_source(script, *part)
    if source is None:
        return False
    element = element_index(source[1])
    cut = element[0] if element is not None else source[1]
    if (type(cut) is not cst.Call or not cut.args
            or (dotted(cut.func) or "").rsplit(".", 1)[-1] not in ("random_split", "Subset")):
        return False
    site = script.site_of(cut)
    if site is None:
        return False
    # the data as it was before the statement (`train_set, val_set = random_split(train_set, ...)`
    # rebinds the name it cuts)
    before = min((assignment.order for assignments in site.function.bindings.values() for assignment in assignments
                  if assignment.statement is site.statement), default=site.order)
    return bool(same_samples(script, (cut.args[0].value, site.function, min(before, site.order)), whole))


def data_source(script: Script, expr: cst.BaseExpression, function: FunctionInfo, order: int,
                hops: int = 0):
    """(identity key, the expression it ends at, its function, its order), following a name to
    its last assignment before ``order``; None when the expression cannot be followed safely."""
    if hops > _MAX_HOPS:
        return None
    if type(expr) is cst.Name:
        name = expr.value
        for scope in function.scopes():
            found = scope.latest_binding(name, order if scope is function else _EVER)
            if found is not None:
                return data_source(script, found.value, scope, found.order, hops + 1)
            if name in scope.params:
                return (("param", id(scope), name), expr, scope, order)
        return (("global", name), expr, function, order)
    if type(expr) is cst.Attribute:
        name = dotted(expr)
        if name is None:
            return None
        if name.startswith("self.") and name.count(".") == 1 and function.cls is not None:
            assignments = function.cls.attrs.get(name[5:], [])
            if len(assignments) == 1:
                only = assignments[0]
                return data_source(script, only.value, only.function, only.order, hops + 1)
            return (("self", id(function.cls), name), expr, function, order)
        if expr.attr.value == "dataset":
            # `DataLoader(train_loader.dataset)`: the dataset of that loader
            inner = data_source(script, expr.value, function, order, hops + 1)
            if inner is not None and type(inner[1]) is cst.Call and is_loader(script, inner[1]):
                dataset = loader_arg(inner[1], "dataset")
                if dataset is not None:
                    return data_source(script, dataset, inner[2], inner[3], hops + 1)
        entry = script.values(expr, function)
        if len(entry) == 1 and entry[0].expr is not expr and path_like(script, entry[0].expr):
            # `cfg.val_dir` with a config class whose field holds a folder (`val_dir: str =
            # "data/scenes/train"`, copy-pasted from `train_dir`)
            return (("path", id(entry[0].function), code_of(entry[0].expr)), entry[0].expr, entry[0].function, order)
        return (("attr", name), expr, function, order)
    if path_like(script, expr):
        # `image_dir = "data/train"` handed to both constructions, or `val_dir` a copy-pasted
        # `os.path.join(cfg.root, "seg_train")`: one folder (the names in it read in one scope)
        return (("path", id(function), code_of(expr)), expr, function, order)
    if type(expr) is cst.Call:
        return (("call", id(expr)), expr, function, order)
    key = literal_key(expr) if type(expr) is cst.Subscript else None
    if key is not None:
        entry = script.values(expr, function)
        if len(entry) == 1 and entry[0].expr is not expr and path_like(script, entry[0].expr):
            # `PATHS["val"]` holding the same `os.path.join(DATA_ROOT, "train")` as `PATHS["train"]`
            return (("path", id(entry[0].function), code_of(entry[0].expr)), entry[0].expr, entry[0].function, order)
        # `tokenized["train"]` handed to both keywords: one entry of one object
        inner = data_source(script, expr.value, function, order, hops + 1)
        if inner is not None:
            return (("entry", inner[0], key), expr, function, order)
    element = element_index(expr)
    if element is not None and type(element[0]) is cst.Call:
        returned = _returned_element(script, element[0], element[1])
        inner = data_source(script, *returned, _EVER, hops + 1) if returned is not None else None
        if inner is not None:
            # `train, test = get_dataset()` with `return train, test`: what the helper built, an
            # object of this call's own when built inside the helper (each call builds anew)
            return inner if inner[2] is not returned[1] else (("via", id(element[0]), inner[0]), *inner[1:])
        # `train_set, val_set = random_split(...)`: one part each
        return (("element", id(element[0]), element[1]), expr, function, order)
    if type(expr) is cst.Subscript and hops:
        # `train_dataset = dataset[2 * n_test:]` (PyG, HF datasets): the part that binding made
        return (("part", id(expr)), expr, function, order)
    return None


def _returned_element(script: Script, call: cst.Call, index: int) -> tuple[cst.BaseExpression, FunctionInfo] | None:
    """The element ``index`` of the one tuple a plain helper of the file returns (``return train,
    test``), with the helper; None for any other call."""
    site = script.site_of(call)
    helper = script.callee(site) if site is not None else None
    if helper is None or helper.cls is not None or len(helper.returns) != 1:
        return None
    returned = helper.returns[0]
    if type(returned) is not cst.Tuple or not -len(returned.elements) <= index < len(returned.elements):
        return None
    element = returned.elements[index]
    return (element.value, helper) if type(element) is not cst.StarredElement else None


def _same_construction(script: Script, left, right) -> bool:
    """Two calls of one dataset constructor with the same data arguments (transforms aside)."""
    a, b = left[1], right[1]
    if not (type(a) is cst.Call and type(b) is cst.Call):
        return False
    qualname = script.qualname(a.func)
    if qualname is None or qualname != script.qualname(b.func) or not _is_dataset(script, a):
        return False
    data_a, data_b = _data_args(script, a), _data_args(script, b)
    if not data_a or data_a.keys() != data_b.keys():
        return False
    for key, value in data_a.items():
        other = data_b[key]
        if type(value) in (cst.Name, cst.Attribute, cst.Subscript) and type(other) in (cst.Name, cst.Attribute, cst.Subscript):
            if not same_samples(script, (value, left[2], left[3]), (other, right[2], right[3])):
                return False
        elif code_of(value) != code_of(other):
            return False
    return True


def _data_args(script: Script, call: cst.Call) -> dict[str, cst.BaseExpression]:
    """The arguments that say which samples a construction holds, by parameter name where the
    class is the file's own (``SignaturePairs(root, train_tf)`` against ``def __init__(self, root,
    transform)``: the transform is left out), else by position; transforms aside."""
    cls = script.classes.get(script.qualname(call.func) or "") if not script.is_imported(call.func) else None
    init = script.method_of_class(cls, "__init__") if cls is not None else None
    names = [name for name in init.params[1:]] if init is not None else []
    helper = dataset_helper(script, call) if cls is None else None
    if helper is not None:  # `make_ds("train", eval_tf)` against `def make_ds(split, tf)`
        names = list(helper.params)
    out: dict[str, cst.BaseExpression] = {}
    position = 0
    transform = transform_arg(script, call)  # by keyword or, for torchvision's datasets, position
    for arg in call.args:
        if arg.star:
            return {}
        if arg.value is transform:
            position += arg.keyword is None
            continue
        if arg.keyword is None:
            key = names[position] if position < len(names) else f"#{position}"
            position += 1
        else:
            key = arg.keyword.value
        if not any(word in key.lower() for word in _VIEW_KEYWORDS) and not set(key.lower().split("_")) & VIEW_WORDS:
            out[key] = arg.value
    return out


def is_loader(script: Script, call: cst.Call) -> bool:
    return catalog.kind_of(script.qualname(call.func) or "") is ObjKind.DATALOADER
