"""Where a model's inputs come from, and whether they are scaled: uint8 pixels cast to float on
their way to the model with no scaling anywhere in the file.

Part of the shared analysis (FIT401 asks it). Pixels are recognised by their source only: image
readers (``Image.open``, ``cv2.imread``, ``read_image``), a uint8 dtype, a torchvision dataset's
``.data``, a CSV of pixel columns (``pd.read_csv`` of an MNIST-style file: values 0..255 stored as
integers); the values are followed through steps that keep them (reshapes, device moves,
stacking, DataFrame column selection, a list filled one image at a time) up to the float cast,
into the file's own helpers (a parameter holds what the call on the way passes) and back out of
them (what they return).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterator

import libcst as cst

from fitlint.analysis.catalog import RANDOM_DRAW_PREFIXES, ObjKind
from fitlint.project import IMPORTERS_SCALE_PIXELS
from fitlint.analysis.models import calls_in, models_of
from fitlint.analysis.outputs import function_returns, reaching
from fitlint.analysis.regions import regions
from fitlint.analysis.splits import split_part_of
from fitlint.analysis.script import (CallSite, FunctionInfo, Script, call_arg, children, code_of, dotted, element_index,
                                     literal, memoized, references, tuple_element, walk)

FLOAT_DTYPES = frozenset({
    "torch.float", "torch.float32", "torch.float64", "torch.double", "torch.float16", "torch.half",
    "torch.bfloat16", "torch.FloatTensor", "torch.DoubleTensor", "torch.cuda.FloatTensor",
    "numpy.float32", "numpy.float64", "numpy.float16", "numpy.float_", "numpy.double", "numpy.single",
})
FLOAT_DTYPE_STRINGS = frozenset({"float", "float32", "float64", "float16", "double", "f4", "f8",
                                 "torch.FloatTensor", "torch.cuda.FloatTensor"})
UINT8_DTYPES = frozenset({"numpy.uint8", "numpy.ubyte", "torch.uint8"})
# readers that return uint8 pixels
UINT8_READERS = frozenset({
    "PIL.Image.open", "cv2.imread", "cv2.imdecode", "torchvision.io.read_image",
    "torchvision.io.decode_image", "torchvision.io.decode_jpeg", "torchvision.io.decode_png",
    "torchvision.io.image.decode_image", "torchvision.io.image.read_image", "torchvision.io.image.decode_jpeg",
    "imageio.imread", "imageio.v2.imread", "imageio.v3.imread", "skimage.io.imread",
})
# torchvision datasets whose `.data` holds uint8 pixels
UINT8_DATASETS = frozenset({"MNIST", "FashionMNIST", "KMNIST", "EMNIST", "QMNIST", "CIFAR10", "CIFAR100", "SVHN"})
# calls that keep their first argument's values (and dtype, unless given one)
VALUE_FUNCTIONS = frozenset({
    "numpy.array", "numpy.asarray", "numpy.ascontiguousarray", "numpy.stack", "numpy.concatenate",
    "numpy.vstack", "numpy.hstack", "numpy.transpose", "numpy.expand_dims", "numpy.squeeze",
    "numpy.moveaxis", "numpy.flip", "numpy.rot90", "torch.from_numpy", "torch.tensor", "torch.as_tensor",
    "torch.stack", "torch.cat", "torch.unsqueeze", "cv2.cvtColor", "cv2.resize", "PIL.Image.fromarray",
    "torch.autograd.Variable", "numpy.fliplr", "numpy.flipud", "cv2.flip", "cv2.rotate", "cv2.warpAffine",
    "cv2.warpPerspective", "cv2.copyMakeBorder", "cv2.GaussianBlur", "torch.flip", "torch.rot90",
})
VALUE_METHODS = frozenset({
    "reshape", "transpose", "permute", "view", "unsqueeze", "squeeze", "copy", "clone", "contiguous",
    "to", "cuda", "cpu", "convert", "resize", "crop", "rotate", "flatten", "swapaxes", "numpy",
    "pin_memory", "detach",
})
NEW_ARRAY_FUNCTIONS = frozenset({"numpy.zeros", "numpy.empty", "numpy.ones", "numpy.full", "numpy.frombuffer",
                                 "numpy.fromfile", "torch.zeros", "torch.empty", "torch.ones"})
CAST_METHODS = frozenset({"float", "double", "half"})
CAST_CONSTRUCTORS = frozenset({"torch.FloatTensor", "torch.Tensor", "torch.DoubleTensor", "torch.cuda.FloatTensor",
                               "numpy.float32", "numpy.float64"})
SCALING_CALLS = frozenset({
    "torchvision.transforms.ToTensor", "torchvision.transforms.ConvertImageDtype",
    "torchvision.transforms.v2.ConvertImageDtype", "torchvision.transforms.v2.ToDtype",
    "torchvision.transforms.functional.to_tensor", "torchvision.transforms.functional.convert_image_dtype",
    "torch.nn.functional.normalize",
})
# the scalers among SCALING_CALLS that a dataset applies to what it yields
SCALING_TRANSFORMS = frozenset({
    "torchvision.transforms.ToTensor", "torchvision.transforms.ConvertImageDtype",
    "torchvision.transforms.v2.ConvertImageDtype", "torchvision.transforms.v2.ToDtype",
})
PIXEL_MAXIMA = frozenset({255, 256, 127.5, 128, 65535, 65536})
_SCALE_WORDS = ("std", "max", "scale", "norm", "255", "range", "sigma", "pixel")
_SCALE_FUNCTION_WORDS = ("normaliz", "standardi", "rescale", "scale", "preprocess")
# libraries whose classes the analysis knows: an unknown constructor from them is no model
_KNOWN_LIBRARIES = frozenset({"torch", "torchvision", "numpy", "pandas", "sklearn", "PIL", "cv2"})
_INPUT_KEYS = frozenset({"image", "img", "images", "input", "inputs", "x", "pixel_values", "data"})


CSV_READERS = frozenset({"pandas.read_csv", "numpy.loadtxt", "numpy.genfromtxt"})
# DataFrame steps that keep the values of the columns they select
FRAME_METHODS = frozenset({"drop", "to_numpy", "iloc", "loc", "values", "filter", "select_dtypes", "sample", "reset_index",
                           "copy", "dropna", "head", "tail", "sort_values"})
# a CSV of pixel columns: the public image-as-CSV datasets
_PIXEL_CSV = re.compile(r"mnist|digit|fashion|pixel|fer2013|sign_?lang|kmnist|emnist", re.IGNORECASE)
_MNIST_SHAPE = re.compile(r"\b784\b|\b28\s*,\s*28\b|\b28\s*\*\s*28\b")


def unscaled_casts(script: Script) -> list[cst.Call]:
    """The float casts of uint8 pixels on their way to the model, when nothing in the file scales
    them. A dataset transform (``ToTensor()``) scales what the dataset yields, never its raw
    ``.data`` tensor: a cast of ``mnist_test.data`` is reported even when the file uses one."""
    found: dict[int, tuple[cst.Call, bool]] = {}
    for expr, function, statement, unsure in _input_sinks(script):
        if function.name == "__getitem__" and IMPORTERS_SCALE_PIXELS in script.neighbours:
            continue  # a dataset module whose importer scales what it batches (`norm(image / 255.0)`)
        for cast, source, at in _casts_reaching(script, expr, _At(function, statement), 0):
            if id(cast) in found or not _is_uint8(script, source, at, 0) or _handed_to_transform(script, at):
                continue
            if unsure is not None and regions(script).model(unsure.node.func, unsure.function) is None:
                continue
            # a pipeline read to its cast (`ToDtype(torch.float32)` with no `scale=True`) is known
            # not to scale, whatever other transforms of the file do
            found[id(cast)] = (cast, _is_raw_dataset_data(script, source, at, 0) or is_unscaled_to_dtype(script, cast)
                               or _read_as_tensor(script, source))
    if not found or file_scales(script, False):
        return []
    transforms_scale = file_scales(script, True)
    return [cast for cast, raw in found.values() if raw or not transforms_scale or _numpy_float_cast(script, cast)]


def _read_as_tensor(script: Script, source: cst.BaseExpression) -> bool:
    """``read_image(path).float()``: torchvision.io's uint8 tensor cast to float, which no transform
    of the file scales afterwards (``ToDtype(..., scale=True)`` and ``ConvertImageDtype`` divide
    only integer tensors; ``Normalize`` with 0..1 statistics does not scale 0..255 values)."""
    return type(source) is cst.Call and (script.qualname(source.func) or "").startswith("torchvision.io.")


def _numpy_float_cast(script: Script, cast: cst.Call) -> bool:
    """``pixels.astype("float32")``, ``np.float32(pixels)``: a float array, which ``ToTensor()``
    (or ``ToDtype(..., scale=True)``) passes through unscaled: it divides only uint8 arrays and PIL
    images by 255, so a transform in the file does not scale what this cast made."""
    func = cast.func
    if type(func) is cst.Attribute and func.attr.value == "astype":
        return True
    return (script.qualname(func) or "").startswith("numpy.")


# a transform the dataset holds (`self.transform`, `self.augment`): its callers choose it
_HELD_TRANSFORM = re.compile(r"transform|augment|preprocess|tfms?$|augs?$", re.IGNORECASE)


def _handed_to_transform(script: Script, at: _At) -> bool:
    """The cast's value is also handed, later in its function, to a transform the dataset holds
    (`img = np.array(Image.open(p), dtype=np.float32)` then `if self.transform:
    img = self.transform(image=img)["image"]`): whoever builds the dataset chooses that transform
    (an albumentations `Normalize` divides by 255 itself), so the path that skips it is not the one
    the data takes. Unless the file builds the dataset, and every transform it builds it with
    keeps the values (`Compose([ToTensor(), Normalize((0.5,), (0.5,))])`: ToTensor divides only
    uint8 arrays and PIL images, and a Normalize with statistics of 0..1 data does not bring
    0..255 there)."""
    function = at.function
    targets = {assignment.target for assignments in function.bindings.values() for assignment in assignments
               if assignment.statement is at.statement}
    if not targets:
        return False
    for site in function.calls:
        held = _held_transform(site.node)
        if held is not None and any(dotted(arg.value) in targets for arg in site.node.args):
            return not (_built_in_view(script, function) and _held_transform_keeps(script, held, function))
    return False


def _held_transform(call: cst.Call) -> cst.Attribute | None:
    """``self.transform`` of a call ``self.transform(...)`` (``self.augment``, ``self.tfms``)."""
    func = call.func
    if type(func) is cst.Attribute and dotted(func.value) == "self" and _HELD_TRANSFORM.search(func.attr.value):
        return func
    return None


def _built_in_view(script: Script, method: FunctionInfo) -> bool:
    """The class ``method`` belongs to is constructed in this file (its transforms are known)."""
    cls = method.cls
    return cls is not None and any(site.name == cls.name for site in script.calls_by_method.get(cls.name, ()))


def _kept_by_held_transform(script: Script, call: cst.Call, at: _At) -> cst.BaseExpression | None:
    """The image handed to the dataset's own transform (`self.transform(image=image)`, read back
    as `["image"]`) when every transform it is built with keeps the values (crops, flips,
    `ToTensorV2()`: no albumentations `Normalize`)."""
    held = _held_transform(call)
    if held is None:
        return None
    image = call_arg(call, 0, "image") or call_arg(call, None, "img")
    return image if image is not None and _held_transform_keeps(script, held, at.function) else None


def _held_transform_keeps(script: Script, held: cst.Attribute, method: FunctionInfo) -> bool:
    """Every transform ``self.<transform>`` may hold keeps the values; for a subclass of a library
    dataset that hands its transform to the base (`super().__init__(root, transform=transform)`),
    what the subclass's own parameter of that name is given."""
    if _keeps_values(script, held, method):
        return True
    cls = method.cls
    init = script.method_of_class(cls, "__init__") if cls is not None and not cls.attrs.get(held.attr.value) else None
    parameter = init.param_node(held.attr.value) if init is not None else None
    return parameter is not None and _keeps_values(script, parameter, init)


# transforms that keep a float array's values (ToTensor divides only uint8 arrays and PIL images by
# 255) or only move them around; torchvision's (`transforms.X`, `transforms.v2.X`) by their last name
_KEEPING_TRANSFORMS = frozenset({
    "ToTensor", "ToPILImage", "Resize", "CenterCrop", "RandomCrop", "RandomResizedCrop", "RandomHorizontalFlip",
    "RandomVerticalFlip", "RandomRotation", "RandomAffine", "Pad", "Grayscale", "ToImage",
})
NORMALIZE_TRANSFORMS = frozenset({"torchvision.transforms.Normalize", "torchvision.transforms.v2.Normalize",
                                  "torchvision.transforms.transforms.Normalize"})
_COMPOSE = frozenset({"torchvision.transforms.Compose", "torchvision.transforms.v2.Compose", "albumentations.Compose"})
_TO_TENSOR_V2 = frozenset({"albumentations.pytorch.ToTensorV2", "albumentations.pytorch.transforms.ToTensorV2"})
# albumentations steps that move, crop or blank pixels without rescaling them
_KEEPING_ALBUMENTATIONS = frozenset({
    "PadIfNeeded", "RandomCrop", "CenterCrop", "Crop", "Resize", "HorizontalFlip", "VerticalFlip", "Flip",
    "Transpose", "RandomRotate90", "Rotate", "ShiftScaleRotate", "Affine", "CoarseDropout", "Cutout",
    "RandomResizedCrop", "LongestMaxSize", "SmallestMaxSize", "ToGray",
})
_MAX_TRANSFORM_DEPTH = 4


def _keeps_values(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int = 0) -> bool:
    """Every transform ``expr`` may hold (followed to the constructions of the dataset that holds
    it) is known to leave 0..255 values where they are: no transform (`None`), a `Compose` of such
    steps, a torchvision `Normalize` with statistics of 0..1 data, a function of the file that
    divides nothing. Anything else may scale (an albumentations `Normalize`, a helper of another
    module): False."""
    if depth > _MAX_TRANSFORM_DEPTH:
        return False
    bounds = script.values(expr, function)
    return bool(bounds) and all(_keeps(script, bound.expr, bound.function, depth) for bound in bounds)


def _keeps(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> bool:
    if type(expr) is cst.Name and expr.value == "None":
        return True
    if type(expr) is cst.Lambda:  # and the file's functions it calls (`lambda a: center_crop(a, size)`)
        called = [script.visible_function(dotted(call.func) or "", function) for call in calls_in(expr)]
        return not _divides(expr) and all(helper is None or not _divides(helper.node) for helper in called)
    if type(expr) is cst.Name:
        helper = script.visible_function(expr.value, function)
        return helper is not None and not _divides(helper.node)
    if type(expr) in (cst.List, cst.Tuple):  # the steps a project's `Compose([...])` is built with
        return all(_keeps_values(script, element.value, function, depth + 1) for element in expr.elements)
    if type(expr) is cst.Call and not script.is_imported(expr.func):
        cls = script.classes.get(script.qualname(expr.func) or "")
        if cls is not None:
            return _class_keeps(script, cls, expr, function, depth)
        builder = script.local_factory(expr, function)  # `train_augs()` returning `Compose([...])`
        return builder is not None and bool(builder.returns) and all(
            _keeps_values(script, returned, builder, depth + 1) for returned in builder.returns)
    if type(expr) is not cst.Call:
        return False
    qualname = script.qualname(expr.func) or ""
    if qualname in _COMPOSE:
        steps = call_arg(expr, 0, "transforms")
        return type(steps) in (cst.List, cst.Tuple) and all(
            _keeps_values(script, element.value, function, depth + 1) for element in steps.elements)
    if qualname in _TO_TENSOR_V2 or (qualname.startswith("albumentations.")
                                     and qualname.rsplit(".", 1)[-1] in _KEEPING_ALBUMENTATIONS):
        return True
    if not qualname.startswith("torchvision.transforms."):
        return False
    last = qualname.rsplit(".", 1)[-1]
    if last == "Normalize":
        numbers = _numbers(script, expr, function, 0)
        return bool(numbers) and all(abs(number) <= 1 for number in numbers)
    return last in _KEEPING_TRANSFORMS


_HARMLESS_BUILTINS = frozenset({"len", "range", "isinstance", "int", "min", "max", "list", "tuple", "zip", "enumerate"})


def _class_keeps(script: Script, cls, call: cst.Call, function: FunctionInfo, depth: int) -> bool:
    """A hand-written transform (``class HFlip: def __call__(self, img): return img[:, ::-1]``, a
    ``Compose`` of such) that moves pixels without scaling them: its ``__call__`` divides nothing and
    calls only value-keeping functions, random draws, and what it holds (``self.aug``, each ``op``
    of ``self.ops``), which must keep the values too; so must what it is built with."""
    method = script.method_of_class(cls, "__call__")
    if method is None or _divides(method.node) or depth > _MAX_TRANSFORM_DEPTH:
        return False
    for site in method.calls:
        func = site.node.func
        qualname = script.qualname(func) or ""
        if script.is_imported(func):
            if qualname not in VALUE_FUNCTIONS and not qualname.startswith(RANDOM_DRAW_PREFIXES):
                return False
        elif type(func) is cst.Name and func.value in _HARMLESS_BUILTINS:
            continue
        elif type(func) is cst.Attribute and dotted(func.value) == "self":
            if not _keeps_values(script, func, method, depth + 1):
                return False
        elif not (type(func) is cst.Name and any(
                func.value in {dotted(node) for node in references(loop.node.target)}
                for loop in method.loops if type(loop.node) is cst.For)):
            return False  # an op of a loop over what the object holds (checked below), or unknown
    for arg in call.args:
        if literal(arg.value) is ... and not _keeps_values(script, arg.value, function, depth + 1):
            return False
    return True


def _divides(node: cst.CSTNode) -> bool:
    """The code divides or scales something (a `/` or `/=`, `div`, a normalizing or scaling call);
    a floor division (`(h - size) // 2`, a crop's offset) or a path string scales nothing."""
    text = code_of(node).lower()
    if "div" in text or any(word in text for word in _SCALE_FUNCTION_WORDS):
        return True
    if "/" not in text:
        return False
    finder = _DivisionFinder()
    walk(node, finder)
    return finder.found


class _DivisionFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Divide(self, node: cst.Divide) -> None:
        self.found = True

    def visit_DivideAssign(self, node: cst.DivideAssign) -> None:
        self.found = True


def _numbers(script: Script, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> list[float]:
    """The number literals of a call's arguments, names followed to their values
    (`Normalize(mean.tolist(), std.tolist())` with `mean = torch.tensor([0.485, 0.456, 0.406])`)."""
    out: list[float] = []
    stack: list[cst.CSTNode] = [expr] if depth else [arg.value for arg in expr.args]
    while stack:
        node = stack.pop()
        value = literal(node) if type(node) in (cst.Integer, cst.Float, cst.UnaryOperation) else None
        if isinstance(value, int | float) and not isinstance(value, bool):
            out.append(float(value))
        elif type(node) is cst.Name and depth < 2:
            for bound in script.values(node, function):
                if bound.expr is not node:
                    out += _numbers(script, bound.expr, bound.function, depth + 1)
        elif type(node) is not cst.Name:
            stack.extend(children(node))
    return out


@dataclass(frozen=True)
class _At:
    """Where an expression is evaluated: its function, its statement, and the calls of the file's
    own helpers the search went through to get there (innermost last), so that a helper's
    parameter is read as what that call passed (``to_tensor(images)``), not as every caller's."""

    function: FunctionInfo
    statement: cst.CSTNode | None
    calls: tuple[CallSite, ...] = ()

    def inside(self, helper: FunctionInfo, statement: cst.CSTNode, site: CallSite) -> _At:
        return _At(helper, statement, self.calls + (site,))


def _sources(script: Script, name: cst.Name, at: _At) -> list[tuple[cst.BaseExpression, _At]] | None:
    """What ``name`` may hold at ``at``: the values of its reaching assignments (the items added
    to a list started empty), or, for a parameter of the function, the argument of the call the
    search came through (every call's in the file when it came through none). None when the name
    is bound elsewhere (an outer scope)."""
    function = at.function
    assignments = reaching(script, name.value, function, at.statement, parameters=True)
    if assignments is not None:
        out = []
        for assignment in assignments:
            if _is_empty_list(assignment.value):
                out += [(value, _At(function, site.statement, at.calls))
                        for value, site in function.items_added_to(assignment.target)]
            else:
                out.append((assignment.value, _At(assignment.function, assignment.statement, at.calls)))
        return out
    if name.value not in function.params:
        return None
    if at.calls and script.local_factory(at.calls[-1].node, at.calls[-1].function) is function:
        site = at.calls[-1]
        arg = function.argument(site, name.value)
        return [] if arg is None else [(arg, _At(site.function, site.statement, at.calls[:-1]))]
    return [(arg, _At(site.function, site.statement)) for arg, site in script.arguments_for(function, name.value)]


def _attribute_sources(expr: cst.Attribute, at: _At) -> list[tuple[cst.BaseExpression, _At]]:
    """What ``self.x`` may hold inside a method: the values the class assigns to it (a dataset
    that loads its images in ``__init__`` and returns them from ``__getitem__``)."""
    cls = at.function.cls
    if cls is None or type(expr.value) is not cst.Name or expr.value.value != "self":
        return []
    out = []
    for assignment in cls.attrs.get(expr.attr.value, ()):
        if not _is_empty_list(assignment.value):
            out.append((assignment.value, _At(assignment.function, assignment.statement, at.calls)))
            continue
        # `self.images = []` filled by `self.images.append(transform(read_image(p)))` in a method
        target = f"self.{expr.attr.value}"
        out += [(site.node.args[0].value, _At(method, site.statement, at.calls))
                for method in cls.methods.values() for site in method.calls
                if site.method in ("append", "extend") and dotted(site.receiver) == target
                and len(site.node.args) == 1 and site.node.args[0].keyword is None]
    return out


def _returned(script: Script, call: cst.Call, at: _At) -> list[tuple[cst.BaseExpression, _At]]:
    """The values a call of one of the file's own helpers may return, read inside that call."""
    helper = script.local_factory(call, at.function)
    site = script.site_of(call)
    if helper is None or site is None or any(seen is site for seen in at.calls):
        return []
    return [(value, at.inside(helper, statement, site)) for value, statement in function_returns(helper)]


def _is_empty_list(expr: cst.BaseExpression) -> bool:
    if type(expr) is cst.List:
        return not expr.elements
    return type(expr) is cst.Call and type(expr.func) is cst.Name and expr.func.value == "list" and not expr.args


def _input_sinks(script: Script) -> Iterator[tuple[cst.BaseExpression, FunctionInfo, cst.CSTNode | None, CallSite | None]]:
    """Where model inputs go: a TensorDataset's first tensor, a dataset's ``__getitem__`` image, the
    first argument of a model call. The last item is a call that may be a model's and is asked
    about only when pixels reach it (a model from ``from model import *``: regions decides)."""
    for site in script.calls:
        qualname = script.qualname(site.node.func) or ""
        if qualname.endswith("TensorDataset") and script.is_imported(site.node.func):
            first = site.arg(0, None)
            if first is not None:
                yield first, site.function, site.statement, None
        elif site.node.args:
            called = _called_model(script, site)
            if called is not False:
                yield site.node.args[0].value, site.function, site.statement, called
    for cls in script.classes.values():
        getitem = cls.methods.get("__getitem__")
        if getitem is None:
            continue
        for value, statement in function_returns(getitem):
            if type(value) is cst.Tuple and value.elements:
                yield value.elements[0].value, getitem, statement, None
            elif type(value) is cst.Dict:
                for element in value.elements:
                    if type(element) is cst.DictElement and literal(element.key) in _INPUT_KEYS:
                        yield element.value, getitem, statement, None
            elif type(value) not in (cst.Tuple, cst.Dict, cst.List):
                yield value, getitem, statement, None


def _called_model(script: Script, site: CallSite) -> CallSite | None | bool:
    """None for a call of a model built by a known constructor; the site itself when it may call
    one whose class cannot be seen (``cnn = CNN()`` after ``from model import *``); False when
    it is no model call."""
    func = site.node.func
    if type(func) not in (cst.Name, cst.Attribute) or script.is_imported(func):
        return False
    if models_of(script, func, site.function):
        return None
    return site if _built_by_unseen_class(script, site) else False


def _built_by_unseen_class(script: Script, site: CallSite) -> bool:
    """The called name holds an instance of a class this file neither defines nor knows
    (``cnn = CNN()`` after ``from model import *``)."""
    if type(site.node.func) is not cst.Name:
        return False
    for bound in script.values(site.node.func, site.function):
        if type(bound.expr) is not cst.Call:
            continue
        called = dotted(bound.expr.func)
        if called is None or not called.rsplit(".", 1)[-1][:1].isupper() or called in script.classes:
            continue
        library = (script.qualname(bound.expr.func) or "").split(".", 1)[0]
        if library not in _KNOWN_LIBRARIES:
            return True
    return False


def _cast_source(script: Script, call: cst.Call) -> cst.BaseExpression | None:
    """The value a float cast converts, when ``call`` is one."""
    func = call.func
    if script.is_imported(func):
        qualname = script.qualname(func) or ""
        if qualname in CAST_CONSTRUCTORS:
            return call_arg(call, 0, None)
        if qualname in ("torch.tensor", "torch.as_tensor", "numpy.array", "numpy.asarray"):
            if _is_float_dtype(script, call_arg(call, None, "dtype")):
                return call_arg(call, 0, "data")
        return None
    if type(func) is not cst.Attribute:
        return None
    method = func.attr.value
    if method in CAST_METHODS and not call.args:
        return func.value
    if method in ("type", "to", "astype") and _is_float_dtype(script, call_arg(call, 0, "dtype")):
        return func.value
    return None


# torchvision steps that keep a tensor's dtype and values' range (before a cast in a pipeline)
_DTYPE_KEEPING_STEPS = frozenset({"ToImage", "Resize", "CenterCrop", "RandomCrop", "RandomResizedCrop",
                                  "RandomHorizontalFlip", "RandomVerticalFlip", "RandomRotation", "Pad", "Grayscale"})


def is_unscaled_to_dtype(script: Script, cast: cst.CSTNode) -> bool:
    """The cast is a torchvision ``ToDtype`` step (see ``_pipeline_cast``)."""
    return type(cast) is cst.Call and (script.qualname(cast.func) or "").rsplit(".", 1)[-1] == "ToDtype"


def _pipeline_cast(script: Script, call: cst.Call, function: FunctionInfo) -> tuple[cst.BaseExpression, cst.Call] | None:
    """(image, step): the image a torchvision transform applied to it casts to float without scaling:
    ``transform(decode_image(path))`` with ``transform = Compose([ToDtype(torch.float32),
    Normalize(...)])`` (``ToDtype`` scales only with ``scale=True``), reached before any step that
    scales (``ToTensor``, ``ConvertImageDtype``)."""
    image = call_arg(call, 0, None)
    if image is None or len(call.args) != 1 or type(call.func) not in (cst.Name, cst.Attribute, cst.Call):
        return None
    bounds = [call.func] if type(call.func) is cst.Call else [b.expr for b in script.values(call.func, function)]
    if len(bounds) != 1 or type(bounds[0]) is not cst.Call or not script.is_imported(bounds[0].func):
        return None
    pipeline = bounds[0]
    steps = [pipeline]
    if (script.qualname(pipeline.func) or "") in _COMPOSE:
        listed = call_arg(pipeline, 0, "transforms")
        steps = [element.value for element in listed.elements] if type(listed) in (cst.List, cst.Tuple) else []
    for step in steps:
        if type(step) is not cst.Call or not (script.qualname(step.func) or "").startswith("torchvision.transforms"):
            return None
        last = (script.qualname(step.func) or "").rsplit(".", 1)[-1]
        if last == "ToDtype":
            dtype = call_arg(step, 0, "dtype")
            scaled = literal(call_arg(step, 1, "scale"))
            return (image, step) if _is_float_dtype(script, dtype) and scaled is not True else None
        if last not in _DTYPE_KEEPING_STEPS:
            return None
    return None


def _is_float_dtype(script: Script, expr: cst.BaseExpression | None) -> bool:
    if expr is None:
        return False
    if type(expr) is cst.Name and expr.value == "float":
        return True
    value = literal(expr)
    if isinstance(value, str):
        return value in FLOAT_DTYPE_STRINGS
    return script.is_imported(expr) and script.qualname(expr) in FLOAT_DTYPES


def _is_uint8_dtype(script: Script, expr: cst.BaseExpression | None) -> bool:
    if expr is None:
        return False
    value = literal(expr)
    if isinstance(value, str):
        return value == "uint8"
    return script.is_imported(expr) and script.qualname(expr) in UINT8_DTYPES


# how many steps a value is followed back (each name and each call one step: `img = cv2.imread(...)`,
# converted, resized and flipped under two `if`s, is 14 steps from its float cast)
_MAX_DEPTH = 20


def _casts_reaching(script: Script, expr, at: _At, depth: int):
    """Float casts that ``expr`` is, through value-keeping steps and the file's own helpers only
    (a division ends the search): ``(cast, what it converts, where)``."""
    if expr is None or depth > _MAX_DEPTH:
        return
    if type(expr) is cst.Name:
        for value, value_at in _sources(script, expr, at) or ():
            yield from _casts_reaching(script, value, value_at, depth + 1)
        return
    if type(expr) is cst.Subscript:
        part = split_part_of(script, expr)
        if part is not None:  # `X_train` of `train_test_split(X, y)`: the rows of X, its values and dtype
            yield from _casts_reaching(script, part, at, depth + 1)
            return
        element = element_index(expr)
        if element is not None and type(element[0]) is cst.Call:
            # `loader, test_x, test_y = get_mnist()`: the element of the helper's `return` unpacked here
            for value, value_at in _returned(script, element[0], at):
                yield from _casts_reaching(script, tuple_element(value, element[1]), value_at, depth + 1)
            return
        yield from _casts_reaching(script, expr.value, at, depth + 1)
        return
    if type(expr) is cst.Attribute:
        for value, value_at in _attribute_sources(expr, at):
            yield from _casts_reaching(script, value, value_at, depth + 1)
        return
    if type(expr) is not cst.Call:
        return
    source = _cast_source(script, expr)
    if source is not None:
        yield expr, source, at
        return
    piped = _pipeline_cast(script, expr, at.function)
    if piped is not None:  # reported at the `ToDtype(...)` step, the line to change
        yield piped[1], piped[0], at
        return
    func = expr.func
    if (type(func) is cst.Attribute and dotted(func.value) == "self" and expr.args and not expr.args[0].keyword
            and _held_transform_keeps(script, func, at.function)):
        # `self.crop(arr)` with `self.crop = lambda a: center_crop(a, size)`: moves pixels only
        yield from _casts_reaching(script, expr.args[0].value, at, depth + 1)
        return
    inner = _value_input(script, expr)
    if inner is not None:
        yield from _casts_reaching(script, inner, at, depth + 1)
        return
    for value, value_at in _returned(script, expr, at):
        yield from _casts_reaching(script, value, value_at, depth + 1)


def _value_input(script: Script, call: cst.Call) -> cst.BaseExpression | None:
    """The input whose values ``call`` keeps (reshapes, device moves, stacking), else None."""
    func = call.func
    if script.is_imported(func):
        if script.qualname(func) in VALUE_FUNCTIONS and call_arg(call, None, "dtype") is None:
            return call_arg(call, 0, None)
        return None
    if type(func) is cst.Attribute and func.attr.value in VALUE_METHODS:
        if func.attr.value == "to" and any(_is_float_dtype(script, arg.value) for arg in call.args):
            return None
        return func.value
    return None


def _is_uint8(script: Script, expr, at: _At, depth: int) -> bool:
    """Every value ``expr`` may hold is known to be uint8 pixels. Asked once per expression, place
    and depth: a name reassigned under several ``if``s reaches each earlier value by many paths."""
    if expr is None or depth > _MAX_DEPTH:
        return False
    memo = script.memo.setdefault(_is_uint8, {})
    key = (id(expr), id(at.function), id(at.statement), tuple(map(id, at.calls)), depth)
    if key not in memo:
        memo[key] = (expr, _is_uint8_uncached(script, expr, at, depth))
    return memo[key][1]


def _is_uint8_uncached(script: Script, expr, at: _At, depth: int) -> bool:
    function = at.function
    if type(expr) is cst.Name:
        sources = _sources(script, expr, at)
        if sources is None:
            bounds = script.values(expr, function)
            return bool(bounds) and all(
                type(b.expr) is not cst.Name and _is_uint8(script, b.expr, _At(b.function, None), depth + 1)
                for b in bounds)
        return bool(sources) and all(_is_uint8(script, value, value_at, depth + 1) for value, value_at in sources)
    if type(expr) is cst.Subscript:
        element = element_index(expr)
        if element is not None and type(element[0]) is cst.Call and split_part_of(script, expr) is None:
            # `X, y = load_images(DATA)`: the element of the helper's `return np.stack(images), labels`
            returned = _returned(script, element[0], at)
            if returned:
                return all(_is_uint8(script, tuple_element(value, element[1]), value_at, depth + 1)
                           for value, value_at in returned)
        # `tr_img` of `tr_img, va_img, tr_y, va_y = train_test_split(images, targets, ...)`: images' values
        part = split_part_of(script, expr)
        return _is_uint8(script, part if part is not None else expr.value, at, depth + 1)
    if type(expr) is cst.Attribute:
        if expr.attr.value in FRAME_METHODS:  # `df.values`
            return _is_uint8(script, expr.value, at, depth + 1)
        stored = _attribute_sources(expr, at)
        if stored:
            return all(_is_uint8(script, value, value_at, depth + 1) for value, value_at in stored)
        return _is_uint8_dataset_data(script, expr, function)
    if type(expr) in (cst.List, cst.Tuple):
        return bool(expr.elements) and all(_is_uint8(script, e.value, at, depth + 1) for e in expr.elements)
    if type(expr) in (cst.ListComp, cst.GeneratorExp):
        return _is_uint8(script, expr.elt, at, depth + 1)
    if type(expr) is not cst.Call:
        return False
    func = expr.func
    if type(func) is cst.Attribute and func.attr.value == "astype" and not script.is_imported(func):
        return _is_uint8_dtype(script, call_arg(expr, 0, "dtype"))
    if script.is_imported(func) and script.qualname(func) in CSV_READERS:
        # a pixel CSV holds 0..255 whatever dtype it is read as (`np.loadtxt(path, dtype=np.float32)`)
        return _reads_pixel_csv(script, expr, at)
    dtype = call_arg(expr, None, "dtype")
    if dtype is not None:
        return _is_uint8_dtype(script, dtype)
    if script.is_imported(func):
        qualname = script.qualname(func) or ""
        if qualname in UINT8_READERS:
            return True
        if qualname in NEW_ARRAY_FUNCTIONS:
            return False
    elif type(func) is cst.Attribute and func.attr.value in FRAME_METHODS:  # `df.drop("label", axis=1)`
        return _is_uint8(script, func.value, at, depth + 1)
    inner = _value_input(script, expr) or _kept_by_held_transform(script, expr, at)
    if inner is not None:
        return _is_uint8(script, inner, at, depth + 1)
    returned = _returned(script, expr, at)
    return bool(returned) and all(_is_uint8(script, value, value_at, depth + 1) for value, value_at in returned)


def _reads_pixel_csv(script: Script, call: cst.Call, at: _At) -> bool:
    """``pd.read_csv("../input/digit-recognizer/train.csv")``: MNIST-style pixel columns, 0..255.
    A path held by a name is read where it is set (a dataset class given the path)."""
    path = call_arg(call, 0, None)
    paths = [path] if type(path) is not cst.Name else [value for value, _ in _sources(script, path, at) or ()]
    if bool(paths) and all(path is not None and _PIXEL_CSV.search(code_of(path)) for path in paths):
        return True
    # a plain `train.csv` whose rows the file treats as 28x28 images (`nn.Linear(784, ...)`,
    # `.reshape(-1, 1, 28, 28)`): the Kaggle digit-recognizer layout
    return bool(_MNIST_SHAPE.search(script.source))


def _is_raw_dataset_data(script: Script, expr, at: _At, depth: int) -> bool:
    """Every value ``expr`` may hold is a torchvision dataset's raw uint8 ``.data`` (reshaped,
    indexed or moved): pixels that never went through the dataset's transform."""
    if expr is None or depth > _MAX_DEPTH:
        return False
    if type(expr) is cst.Name:
        sources = _sources(script, expr, at)
        return bool(sources) and all(_is_raw_dataset_data(script, value, value_at, depth + 1)
                                     for value, value_at in sources)
    if type(expr) is cst.Subscript:
        return _is_raw_dataset_data(script, expr.value, at, depth + 1)
    if type(expr) is cst.Attribute:
        return _is_uint8_dataset_data(script, expr, at.function)
    inner = _value_input(script, expr) if type(expr) is cst.Call else None
    return inner is not None and _is_raw_dataset_data(script, inner, at, depth + 1)


def _is_uint8_dataset_data(script: Script, expr: cst.Attribute, function: FunctionInfo) -> bool:
    if expr.attr.value not in ("data", "train_data", "test_data"):
        return False
    if dotted(expr.value) == "self":
        # `self.data[index]` in a subclass of CIFAR10 that overrides `__getitem__`
        cls = next((scope.cls for scope in function.scopes() if scope.cls is not None), None)
        return cls is not None and script.class_is(cls, _is_uint8_dataset_class)
    for obj in script.objects(expr.value, function):
        if obj.kind is ObjKind.DATASET and obj.qualname.startswith("torchvision.datasets."):
            return _is_uint8_dataset_class(obj.qualname)
    return False


def _is_uint8_dataset_class(qualname: str) -> bool:
    return qualname.startswith("torchvision.datasets.") and qualname.rsplit(".", 1)[-1] in UINT8_DATASETS


@memoized
def file_scales(script: Script, transforms: bool = True) -> bool:
    """Whether the file scales data anywhere (then a cast may well be scaled on its way); with
    ``transforms=False``, scaling by arithmetic or a scaling function only, not by a transform
    such as ``ToTensor()`` (which scales only what goes through it)."""
    for site in script.calls:
        qualname = script.qualname(site.node.func) or ""
        if script.is_imported(site.node.func):
            if qualname in NORMALIZE_TRANSFORMS:
                # statistics of 0..255 data (`mean=[125.3, 123.0, 113.9]`) scale it; those of 0..1
                # data (`(0.1307,), (0.3081,)`) leave 0..255 values hundreds of units wide
                if transforms or any(abs(number) > 1 for number in _numbers(script, site.node, site.function, 0)):
                    return True
                continue
            if qualname in SCALING_CALLS:
                if transforms or qualname not in SCALING_TRANSFORMS:
                    return True
            elif qualname.startswith("sklearn.preprocessing."):
                return True
            if qualname in ("torch.div", "torch.true_divide") and _scales_by(site.arg(1, "other")):
                return True
        if site.method in ("div", "div_", "true_divide", "true_divide_") and _scales_by(site.arg(0, "other")):
            return True
        last = (site.method or "").lower()
        if any(word in last for word in _SCALE_FUNCTION_WORDS) and last not in ("scale", "unscale_", "get_scale", "update_scale"):
            return True
    finder = _ScalingFinder()
    walk(script.module, finder)
    return finder.found


def _scales_by(expr: cst.BaseExpression | None) -> bool:
    """A divisor that looks like a pixel maximum or a statistic: 255, 127.5, std, x.max()."""
    if expr is None:
        return False
    value = literal(expr)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value in PIXEL_MAXIMA
    if type(expr) is cst.Call and type(expr.func) is cst.Name and expr.func.value == "max" and any(
            isinstance(literal(arg.value), int | float) for arg in expr.args):
        # `sum(ious) / max(len(ious), 1)`: a guard against dividing by zero, not a pixel maximum
        return any(_scales_by(arg.value) for arg in expr.args if literal(arg.value) is None)
    text = code_of(expr).lower()
    return any(word in text for word in _SCALE_WORDS)


class _ScalingFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Call(self, node: cst.Call) -> bool:
        # the statistics a Normalize is built from (`Normalize((-mean / std).tolist(), (1.0 /
        # std).tolist())`, an inverse for plotting) scale no data
        return (dotted(node.func) or "").rsplit(".", 1)[-1] != "Normalize"

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> bool:
        if type(node.operator) is cst.Divide and _scales_by(node.right):
            self.found = True
        elif (type(node.operator) is cst.Subtract and "mean" in code_of(node.right).lower()
              and literal(node.left) is ...):  # `x - x.mean()`, not a loss's `1 - dice.mean()`
            self.found = True
        return not self.found

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        if type(node.operator) is cst.DivideAssign and _scales_by(node.value):
            self.found = True
        return not self.found
