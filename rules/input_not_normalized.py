from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.findings import Severity
from fitlint.analysis.models import models_of
from fitlint.analysis.outputs import function_returns, reaching
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, FunctionInfo, Script, call_arg, code_of, literal, memoized, walk
from fitlint.analysis.catalog import ObjKind

HEADER = """\
import numpy as np
import torch
import torch.nn as nn
from torch import optim
from torch.utils.data import DataLoader, TensorDataset
from PIL import Image
import torchvision.transforms as T
"""

LOOP = """
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
"""

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
NORMALIZE = frozenset({"torchvision.transforms.Normalize", "torchvision.transforms.v2.Normalize",
                       "torchvision.transforms.transforms.Normalize"})
SCALING_CALLS = frozenset({
    "torchvision.transforms.ToTensor", "torchvision.transforms.ConvertImageDtype",
    "torchvision.transforms.v2.ConvertImageDtype", "torchvision.transforms.v2.ToDtype",
    "torchvision.transforms.functional.to_tensor", "torchvision.transforms.functional.convert_image_dtype",
    "torch.nn.functional.normalize",
})
PIXEL_MAXIMA = frozenset({255, 256, 127.5, 128, 65535, 65536})
_SCALE_WORDS = ("std", "max", "scale", "norm", "255", "range", "sigma", "pixel")
_SCALE_FUNCTION_WORDS = ("normaliz", "standardi", "rescale", "scale", "preprocess")
_INPUT_KEYS = frozenset({"image", "img", "images", "input", "inputs", "x", "pixel_values", "data"})


class InputNotNormalized(Rule):
    """
    ## What it does
    Flags inputs that reach the model unscaled. "Normalized" here means scaled to a small range:
    [0, 1] (what `ToTensor()` gives, which counts), [-1, 1], or zero mean and unit variance. The
    rule reports:

    - a uint8 image array or tensor cast to float (`.float()`, `.double()`, `.type(torch.FloatTensor)`,
      `torch.tensor(x, dtype=torch.float32)`, `torch.FloatTensor(x)`, `.astype(np.float32)`) on its
      way to the model (a `TensorDataset`'s inputs, a dataset's `__getitem__` image, a model call)
      with no scaling anywhere in the file. uint8 data is recognised by its source only:
      `Image.open`, `cv2.imread`, `torchvision.io.read_image`, `.astype(np.uint8)`,
      `dtype=np.uint8`, a torchvision dataset's `.data`. Reported at the cast;
    - a `transforms.Normalize` that is the identity (mean 0, std 1). Reported at the call; a
      warning when the file loads pretrained weights (they expect their own statistics), else
      info (after `ToTensor()` the inputs are still in [0, 1]).

    Scaling anywhere in the file silences the cast report: `/ 255`, `.div(255)`, `/ x.max()`,
    `(x - mean) / std`, sklearn scalers, `ToTensor()`, a helper named like `normalize(...)`.
    Tabular features with large raw values are not knowable statically and are not flagged; nor is
    data whose dtype the analysis cannot see (`np.load(...)` with no uint8 sign), labels, or
    masks used as targets.

    ## Why is this bad?
    Raw pixels in 0..255 make the first layer's pre-activations hundreds of times larger than the
    initialisation assumes: activations saturate, gradients explode or vanish, and a learning
    rate tuned for normalized inputs diverges. Training loss can still fall while validation
    accuracy stays poor and unstable. An identity `Normalize` suggests the statistics were
    applied when they were not.

    ## Example
    ```python
    images = np.stack([np.array(Image.open(p)) for p in paths])
    x = torch.from_numpy(images).float()
    train_set = TensorDataset(x, y)
    ```

    ## Use instead
    ```python
    x = torch.from_numpy(images).float() / 255.0
    train_set = TensorDataset(x, y)
    ```

    ## References
    - https://pytorch.org/vision/stable/generated/torchvision.transforms.ToTensor.html
    - https://pytorch.org/vision/stable/generated/torchvision.transforms.Normalize.html
    - The seed document (../shared/seed/): "图片的话,img/255是肯定的" (for images, /255 is a must).
    """

    code = "FIT401"
    name = "input-not-normalized"
    severity = Severity.WARNING

    VALID = [
        # ToTensor() pipeline
        Valid(HEADER + """
import torchvision
transform = T.Compose([T.RandomHorizontalFlip(), T.ToTensor()])
train_set = torchvision.datasets.CIFAR10("data", train=True, transform=transform)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
""" + LOOP),
        # divided by hand
        Valid(HEADER + """
images = np.load("x.npy").astype(np.uint8)
x = torch.from_numpy(images).float() / 255.
train_loader = DataLoader(TensorDataset(x, torch.from_numpy(labels)), batch_size=64, shuffle=True)
""" + LOOP),
        # .div_(255) later on the same tensor
        Valid(HEADER + """
images = np.load("x.npy").astype(np.uint8)
x = torch.from_numpy(images).float()
x.div_(255)
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # normalized once on the whole array before batching
        Valid(HEADER + """
X = np.load("x.npy").astype(np.uint8)
X = (X - X.mean(0)) / X.std(0)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X).float(), y), batch_size=64, shuffle=True)
""" + LOOP),
        # sklearn scaler
        Valid(HEADER + """
from sklearn.preprocessing import StandardScaler
X = np.asarray(raw, dtype=np.uint8)
X = StandardScaler().fit_transform(X.reshape(len(X), -1))
train_loader = DataLoader(TensorDataset(torch.tensor(X, dtype=torch.float32), y), batch_size=64, shuffle=True)
""" + LOOP),
        # the dataset class in the same file scales in __getitem__
        Valid(HEADER + """
class Folder(torch.utils.data.Dataset):
    def __init__(self, paths, labels):
        self.paths, self.labels = paths, labels
    def __len__(self):
        return len(self.paths)
    def __getitem__(self, i):
        img = np.array(Image.open(self.paths[i]))
        img = torch.from_numpy(img).permute(2, 0, 1).float() / 255.0
        return img, self.labels[i]
train_loader = DataLoader(Folder(paths, labels), batch_size=64, shuffle=True)
""" + LOOP),
        # GAN pipeline in [-1, 1]
        Valid(HEADER + """
transform = T.Compose([T.ToTensor(), T.Normalize((0.5,), (0.5,))])
"""),
        # data of unknown dtype: silent
        Valid(HEADER + """
X = np.load("features.npy")
train_loader = DataLoader(TensorDataset(torch.from_numpy(X).float(), y), batch_size=64, shuffle=True)
""" + LOOP),
        # uint8 masks cast to float as targets
        Valid(HEADER + """
class Seg(torch.utils.data.Dataset):
    def __getitem__(self, i):
        image = T.ToTensor()(Image.open(self.images[i]))
        mask = torch.from_numpy(np.array(Image.open(self.masks[i]))).float()
        return image, mask
"""),
        # scaled to [-1, 1] by hand
        Valid(HEADER + """
imgs = np.fromfile("pixels.bin", dtype=np.uint8).reshape(-1, 1, 28, 28)
real = torch.from_numpy(imgs).float() / 127.5 - 1.0
train_loader = DataLoader(TensorDataset(real), batch_size=64, shuffle=True)
"""),
    ]

    INVALID = [
        # uint8 images cast with .float(), no scaling anywhere
        Invalid(HEADER + """
features = np.load("features.npy").astype(np.uint8)
x_train = torch.from_numpy(features).float()  # FIT401
train_loader = DataLoader(TensorDataset(x_train, torch.from_numpy(labels)), batch_size=64, shuffle=True)
""" + LOOP),
        # torch.tensor(..., dtype=torch.float32) on images read with PIL
        Invalid(HEADER + """
images = np.stack([np.array(Image.open(p).convert("L")) for p in paths])
x = torch.tensor(images, dtype=torch.float32)  # FIT401
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # a dataset's __getitem__ returns cv2 pixels as float
        Invalid(HEADER + """
import cv2
class Frames(torch.utils.data.Dataset):
    def __len__(self):
        return len(self.files)
    def __getitem__(self, i):
        img = cv2.imread(self.files[i])
        img = torch.from_numpy(img).permute(2, 0, 1).type(torch.FloatTensor)  # FIT401
        return img, self.labels[i]
train_loader = DataLoader(Frames(), batch_size=64, shuffle=True)
""" + LOOP),
        # MNIST's raw .data fed straight to the model
        Invalid(HEADER + """
import torchvision
mnist = torchvision.datasets.MNIST("data", train=True, download=True)
x = mnist.data.float().unsqueeze(1)  # FIT401
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
optimizer = optim.SGD(model.parameters(), lr=0.1)
for i in range(0, len(x), 64):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x[i:i + 64]), mnist.targets[i:i + 64])
    loss.backward()
    optimizer.step()
"""),
        # identity Normalize (info: the inputs are still in [0, 1])
        Invalid(HEADER + """
transform = T.Compose([T.ToTensor(), T.Normalize((0, 0, 0), (1, 1, 1))])  # FIT401
"""),
        # identity Normalize with a pretrained model (warning)
        Invalid(HEADER + """
import torchvision
transform = T.Compose([T.Resize(224), T.ToTensor(), T.Normalize(mean=[0.0] * 3, std=[1.0] * 3)])  # FIT401
model = torchvision.models.resnet18(weights="IMAGENET1K_V1")
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        yield from self._identity_normalizations(script)
        casts = self._unscaled_casts(script)
        if casts and not _file_scales(script):
            for cast in casts:
                yield Report(cast, (
                    "uint8 pixels are cast to float without scaling and reach the model in 0..255: "
                    "first-layer activations are hundreds of times larger than the initialisation "
                    "expects, so training is unstable and validation accuracy suffers; divide by "
                    "255 (or use ToTensor / Normalize with the data's statistics)"
                ))

    # identity Normalize ----------------------------------------------------------------------
    def _identity_normalizations(self, script: Script) -> Iterator[Report]:
        pretrained = None
        for site in script.calls:
            if script.qualname(site.node.func) not in NORMALIZE or not script.is_imported(site.node.func):
                continue
            means = _numbers(script, site.arg(0, "mean"), site.function)
            stds = _numbers(script, site.arg(1, "std"), site.function)
            if not means or not stds or any(m != 0 for m in means) or any(s != 1 for s in stds):
                continue
            if pretrained is None:
                pretrained = _loads_pretrained(script)
            if pretrained:
                yield Report(site.node, (
                    "this Normalize has mean 0 and std 1: it changes nothing, and the pretrained "
                    "weights expect inputs normalized with their training statistics, so features "
                    "are off-distribution and fine-tuning accuracy drops; use the model's statistics "
                    "(ImageNet: mean (0.485, 0.456, 0.406), std (0.229, 0.224, 0.225))"
                ), severity=Severity.WARNING)
            else:
                yield Report(site.node, (
                    "this Normalize has mean 0 and std 1: it changes nothing, so the inputs are not "
                    "centred as the call suggests (after ToTensor they stay in [0, 1]); use the "
                    "dataset's per-channel mean and std, or remove it"
                ), severity=Severity.INFO)

    # uint8 casts -----------------------------------------------------------------------------
    def _unscaled_casts(self, script: Script) -> list[cst.Call]:
        found: dict[int, cst.Call] = {}
        for expr, function, statement in _input_sinks(script):
            for cast, source, cast_function, cast_statement in _casts_reaching(script, expr, function, statement, 0):
                if id(cast) not in found and _is_uint8(script, source, cast_function, cast_statement, 0):
                    found[id(cast)] = cast
        return list(found.values())


def _numbers(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[float] | None:
    if expr is None:
        return None
    if isinstance(expr, cst.Name):
        bounds = script.values(expr, function)
        if len(bounds) != 1 or isinstance(bounds[0].expr, cst.Name):
            return None
        return _numbers(script, bounds[0].expr, bounds[0].function)
    value = literal(expr)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    if isinstance(expr, cst.Tuple | cst.List):
        out = []
        for element in expr.elements:
            number = literal(element.value)
            if not isinstance(number, int | float) or isinstance(number, bool):
                return None
            out.append(number)
        return out or None
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        return _numbers(script, expr.left, function)
    return None


def _loads_pretrained(script: Script) -> bool:
    for site in script.calls:
        if site.method == "from_pretrained":
            return True
        pretrained = literal(site.arg(None, "pretrained"))
        weights = site.arg(None, "weights")
        if pretrained is True or (weights is not None and literal(weights) is not None):
            return True
    return False


def _input_sinks(script: Script) -> Iterator[tuple[cst.BaseExpression, FunctionInfo, cst.CSTNode | None]]:
    """Where model inputs go: a TensorDataset's first tensor, a dataset's ``__getitem__`` image, the
    first argument of a model call."""
    for site in script.calls:
        qualname = script.qualname(site.node.func) or ""
        if qualname.endswith("TensorDataset") and script.is_imported(site.node.func):
            first = site.arg(0, None)
            if first is not None:
                yield first, site.function, site.statement
        elif site.node.args and _calls_model(script, site):
            yield site.node.args[0].value, site.function, site.statement
    for cls in script.classes.values():
        getitem = cls.methods.get("__getitem__")
        if getitem is None:
            continue
        for value, statement in function_returns(getitem):
            if isinstance(value, cst.Tuple) and value.elements:
                yield value.elements[0].value, getitem, statement
            elif isinstance(value, cst.Dict):
                for element in value.elements:
                    if isinstance(element, cst.DictElement) and literal(element.key) in _INPUT_KEYS:
                        yield element.value, getitem, statement
            elif not isinstance(value, cst.Tuple | cst.Dict | cst.List):
                yield value, getitem, statement


def _calls_model(script: Script, site: CallSite) -> bool:
    func = site.node.func
    if not isinstance(func, cst.Name | cst.Attribute) or script.is_imported(func):
        return False
    return bool(models_of(script, func, site.function))


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
    if not isinstance(func, cst.Attribute):
        return None
    method = func.attr.value
    if method in CAST_METHODS and not call.args:
        return func.value
    if method in ("type", "to", "astype") and _is_float_dtype(script, call_arg(call, 0, "dtype")):
        return func.value
    return None


def _is_float_dtype(script: Script, expr: cst.BaseExpression | None) -> bool:
    if expr is None:
        return False
    if isinstance(expr, cst.Name) and expr.value == "float":
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


def _casts_reaching(script: Script, expr, function: FunctionInfo, statement, depth: int):
    """Float casts that ``expr`` is, through value-keeping steps only (a division ends the search)."""
    if expr is None or depth > 12:
        return
    if isinstance(expr, cst.Name):
        assignments = reaching(script, expr.value, function, statement)
        for assignment in assignments or ():
            yield from _casts_reaching(script, assignment.value, assignment.function, assignment.statement, depth + 1)
        return
    if isinstance(expr, cst.Subscript):
        yield from _casts_reaching(script, expr.value, function, statement, depth + 1)
        return
    if not isinstance(expr, cst.Call):
        return
    source = _cast_source(script, expr)
    if source is not None:
        yield expr, source, function, statement
        return
    inner = _value_input(script, expr)
    if inner is not None:
        yield from _casts_reaching(script, inner, function, statement, depth + 1)


def _value_input(script: Script, call: cst.Call) -> cst.BaseExpression | None:
    """The input whose values ``call`` keeps (reshapes, device moves, stacking), else None."""
    func = call.func
    if script.is_imported(func):
        if script.qualname(func) in VALUE_FUNCTIONS and call_arg(call, None, "dtype") is None:
            return call_arg(call, 0, None)
        return None
    if isinstance(func, cst.Attribute) and func.attr.value in VALUE_METHODS:
        if func.attr.value == "to" and any(_is_float_dtype(script, arg.value) for arg in call.args):
            return None
        return func.value
    return None


def _is_uint8(script: Script, expr, function: FunctionInfo, statement, depth: int) -> bool:
    """Every value ``expr`` may hold is known to be uint8 pixels."""
    if expr is None or depth > 12:
        return False
    if isinstance(expr, cst.Name):
        assignments = reaching(script, expr.value, function, statement)
        if assignments is None:
            bounds = script.values(expr, function)
            return bool(bounds) and all(
                not isinstance(b.expr, cst.Name) and _is_uint8(script, b.expr, b.function, None, depth + 1)
                for b in bounds)
        return bool(assignments) and all(
            _is_uint8(script, a.value, a.function, a.statement, depth + 1) for a in assignments)
    if isinstance(expr, cst.Subscript):
        return _is_uint8(script, expr.value, function, statement, depth + 1)
    if isinstance(expr, cst.Attribute):
        return _is_uint8_dataset_data(script, expr, function)
    if isinstance(expr, cst.List | cst.Tuple):
        return bool(expr.elements) and all(
            _is_uint8(script, e.value, function, statement, depth + 1) for e in expr.elements)
    if isinstance(expr, cst.ListComp | cst.GeneratorExp):
        return _is_uint8(script, expr.elt, function, statement, depth + 1)
    if not isinstance(expr, cst.Call):
        return False
    func = expr.func
    if isinstance(func, cst.Attribute) and func.attr.value == "astype" and not script.is_imported(func):
        return _is_uint8_dtype(script, call_arg(expr, 0, "dtype"))
    dtype = call_arg(expr, None, "dtype")
    if dtype is not None:
        return _is_uint8_dtype(script, dtype)
    if script.is_imported(func):
        qualname = script.qualname(func) or ""
        if qualname in UINT8_READERS:
            return True
        if qualname in NEW_ARRAY_FUNCTIONS:
            return False
    inner = _value_input(script, expr)
    return inner is not None and _is_uint8(script, inner, function, statement, depth + 1)


def _is_uint8_dataset_data(script: Script, expr: cst.Attribute, function: FunctionInfo) -> bool:
    if expr.attr.value not in ("data", "train_data", "test_data"):
        return False
    for obj in script.objects(expr.value, function):
        if obj.kind is ObjKind.DATASET and obj.qualname.startswith("torchvision.datasets."):
            return obj.qualname.rsplit(".", 1)[-1] in UINT8_DATASETS
    return False


@memoized
def _file_scales(script: Script) -> bool:
    """Whether the file scales data anywhere (then a cast may well be scaled on its way)."""
    for site in script.calls:
        qualname = script.qualname(site.node.func) or ""
        if script.is_imported(site.node.func):
            if qualname in SCALING_CALLS or qualname.startswith("sklearn.preprocessing."):
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
    text = code_of(expr).lower()
    return any(word in text for word in _SCALE_WORDS)


class _ScalingFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_BinaryOperation(self, node: cst.BinaryOperation) -> bool:
        if isinstance(node.operator, cst.Divide) and _scales_by(node.right):
            self.found = True
        elif isinstance(node.operator, cst.Subtract) and "mean" in code_of(node.right).lower():
            self.found = True
        return not self.found

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        if isinstance(node.operator, cst.DivideAssign) and _scales_by(node.value):
            self.found = True
        return not self.found
