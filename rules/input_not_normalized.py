from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.analysis.pixels import NORMALIZE_TRANSFORMS, is_unscaled_to_dtype, unscaled_casts
from fitlint.analysis.script import FunctionInfo, Script, literal
from fitlint.findings import Severity
from fitlint.rule import Invalid, Report, Rule, Valid

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
      `dtype=np.uint8`, a torchvision dataset's `.data`. The values are followed through
      reshapes and stacking, lists filled one image at a time (`imgs.append(cv2.imread(p))`),
      and the file's own helpers: a uint8 array passed to `def to_tensor(images)` that casts
      it, a helper that reads and returns the pixels (also as one element of a tuple the caller
      unpacks: `loader, test_x, test_y = get_mnist()`), tensors handed to a `def train(model, x)`
      that feeds the model. A helper's parameter is read as what each call passes, so a helper
      also called with other data is reported only for the uint8 call. Reported at the cast;
    - a `transforms.Normalize` that is the identity (mean 0, std 1). Reported at the call; a
      warning when the file loads pretrained weights (they expect their own statistics), else
      info (after `ToTensor()` the inputs are still in [0, 1]).

    Scaling anywhere in the file silences the cast report: `/ 255`, `.div(255)`, `/ x.max()`,
    `(x - mean) / std`, sklearn scalers, `ToTensor()`, a `Normalize` with statistics of 0..255
    data (`mean=[125.3, 123.0, 113.9]`), a helper named like `normalize(...)`; a
    transform does not silence a numpy cast (`pixels.astype("float32")`): `ToTensor()` divides
    only uint8 arrays and PIL images by 255, and passes a float array through unscaled, and a
    `Normalize((0.5,), (0.5,))` made for 0..1 data leaves 0..255 values hundreds of units wide.
    A dataset transform such as `ToTensor()` is no excuse for a cast of a torchvision dataset's
    raw `.data` tensor, which never goes through it (test images read as
    `mnist_test.data.float()` beside a `ToTensor()` training pipeline are reported). Nor is a
    cast a dataset then hands to the transform it holds (`img = np.array(Image.open(p),
    dtype=np.float32)`, then `if self.transform: img = self.transform(image=img)["image"]`): its
    builder chooses that transform, and albumentations' `Normalize` divides by 255 itself; unless
    every transform the file builds the dataset with leaves the values as they are (`None`,
    `Compose([ToTensor(), Normalize((0.5,), (0.5,))])`, crops and flips, a function of the file that
    divides nothing): the Kaggle digit recognizer's CSV rows cast to float32 and handed to such a
    pipeline are reported. Nor is what a dataset module's `__getitem__` yields when a script of
    its folder that imports it divides by a pixel maximum (`model(images / 255.0)` in its loop).
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
        # a helper that scales inside
        Valid(HEADER + """
def to_tensor(images):
    return torch.from_numpy(images).float().div(255).permute(0, 3, 1, 2)
data = np.load("data/images.npz")
x_train = to_tensor(data["x_train"].astype(np.uint8))
train_loader = DataLoader(TensorDataset(x_train, y), batch_size=64, shuffle=True)
""" + LOOP),
        # the caller hands the helper pixels already scaled
        Valid(HEADER + """
def to_tensor(images):
    return torch.from_numpy(images).float().permute(0, 3, 1, 2)
pixels = np.stack([np.array(Image.open(p)) for p in paths])
x_train = to_tensor(pixels / 255.0)
train_loader = DataLoader(TensorDataset(x_train, y), batch_size=64, shuffle=True)
""" + LOOP),
        # one cast helper for inputs of unknown dtype and for uint8 masks: the masks are targets
        Valid(HEADER + """
def to_tensor(a):
    return torch.from_numpy(a).float()
x_train = to_tensor(np.load("features.npy"))
y_train = to_tensor(np.stack([np.array(Image.open(p)) for p in mask_paths]))
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
""" + LOOP),
        # images read one by one, each through ToTensor
        Valid(HEADER + """
tensors = []
for path in paths:
    tensors.append(T.ToTensor()(Image.open(path).convert("RGB")))
train_loader = DataLoader(TensorDataset(torch.stack(tensors), y), batch_size=64, shuffle=True)
""" + LOOP),
        # uint8 tensors from read_image, scaled by ToDtype
        Valid(HEADER + """
from torchvision.io import read_image
from torchvision.transforms import v2
to_float = v2.ToDtype(torch.float32, scale=True)
x = torch.stack([to_float(read_image(p)) for p in paths])
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # stacked cv2 images standardized with their own statistics
        Valid(HEADER + """
import cv2
imgs = []
for path in paths:
    imgs.append(cv2.resize(cv2.imread(path), (64, 64)))
x = torch.tensor(np.array(imgs), dtype=torch.float32)
x = (x - x.mean(dim=(0, 1, 2))) / x.std(dim=(0, 1, 2))
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # a list filled with arrays of unknown dtype
        Valid(HEADER + """
arrays = []
for path in paths:
    arrays.append(np.load(path))
x = torch.tensor(np.stack(arrays), dtype=torch.float32)
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
    ]

    INVALID = [
        # PNGs stacked into one uint8 array, split with train_test_split, cast without scaling
        Invalid("""
import glob
import numpy as np
import torch
from PIL import Image
from torch import nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.model_selection import train_test_split

paths = sorted(glob.glob("letters/*/*.png"))
classes = sorted({p.split("/")[-2] for p in paths})
pics = np.stack([np.array(Image.open(p).convert("L")) for p in paths])
labels = np.array([classes.index(p.split("/")[-2]) for p in paths])
x_tr, x_va, y_tr, y_va = train_test_split(pics, labels, test_size=0.2, stratify=labels)
train_x = torch.from_numpy(x_tr).unsqueeze(1).float()  # FIT401
loader = DataLoader(TensorDataset(train_x, torch.from_numpy(y_tr)), batch_size=64, shuffle=True)
net = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(len(classes)))
opt = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(10):
    for xb, yb in loader:
        opt.zero_grad()
        nn.functional.cross_entropy(net(xb), yb).backward()
        opt.step()
"""),
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
        # a helper casts what its caller read as uint8
        Invalid(HEADER + """
def to_tensor(images):
    return torch.from_numpy(images).float().permute(0, 3, 1, 2)  # FIT401
data = np.load("data/images.npz")
x_train = to_tensor(data["x_train"].astype(np.uint8))
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
optimizer = optim.SGD(model.parameters(), lr=0.01)
for i in range(0, len(x_train), 64):
    optimizer.zero_grad()
    loss = nn.functional.cross_entropy(model(x_train[i:i + 64]), y_train[i:i + 64])
    loss.backward()
    optimizer.step()
"""),
        # the same helper also casts unknown data: only the uint8 call makes it a finding
        Invalid(HEADER + """
def to_tensor(a):
    return torch.from_numpy(a).float()  # FIT401
x_train = to_tensor(np.stack([np.array(Image.open(p).convert("RGB")) for p in paths]))
extra = to_tensor(np.load("features.npy"))
train_loader = DataLoader(TensorDataset(x_train, y), batch_size=64, shuffle=True)
""" + LOOP),
        # a helper reads, stacks and casts; a training function feeds its result to the model
        Invalid(HEADER + """
import cv2
def load_images(paths):
    images = []
    for path in paths:
        image = cv2.imread(path)
        images.append(cv2.resize(image, (64, 64)))
    images = np.array(images)
    images = torch.tensor(images, dtype=torch.float)  # FIT401
    return images.permute(0, 3, 1, 2)

def fit(net, inputs, targets, optimizer):
    net.train()
    for i in range(0, len(inputs), 32):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(net(inputs[i:i + 32]), targets[i:i + 32])
        loss.backward()
        optimizer.step()

net = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
fit(net, load_images(train_paths), torch.tensor(labels), optim.Adam(net.parameters()))
"""),
        # a helper that rebinds its parameter before the cast
        Invalid(HEADER + """
def prepare(batch):
    batch = batch.transpose(0, 3, 1, 2)
    return torch.from_numpy(batch).float()  # FIT401
x = prepare(np.fromfile("train.bin", dtype=np.uint8).reshape(-1, 32, 32, 3))
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # a helper returns one image's pixels, stacked by a comprehension
        Invalid(HEADER + """
def load(path):
    return np.array(Image.open(path).convert("RGB").resize((64, 64)))
X = np.stack([load(p) for p in paths])
x = torch.tensor(X).permute(0, 3, 1, 2).float()  # FIT401
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # cv2 images appended in a loop, then torch.tensor(..., dtype=torch.float32)
        Invalid(HEADER + """
import cv2
imgs = []
for path in paths:
    img = cv2.imread(path)
    img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
    imgs.append(img)
imgs = np.array(imgs)
x = torch.tensor(imgs, dtype=torch.float32).permute(0, 3, 1, 2)  # FIT401
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
        # each image cast as it is appended
        Invalid(HEADER + """
tensors = []
for path in paths:
    img = Image.open(path).convert("RGB").resize((64, 64))
    tensors.append(torch.from_numpy(np.asarray(img)).permute(2, 0, 1).float())  # FIT401
train_loader = DataLoader(TensorDataset(torch.stack(tensors), y), batch_size=64, shuffle=True)
""" + LOOP),
        # imageio frames and read_image tensors stacked, then .float()
        Invalid(HEADER + """
import imageio
frames = []
for f in files:
    frames.append(imageio.imread(f))
X = torch.tensor(np.stack(frames)).float()  # FIT401
train_loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
""" + LOOP),
        Invalid(HEADER + """
from torchvision.io import read_image
images = []
for p in paths:
    images.append(read_image(p))
x = torch.stack(images).float()  # FIT401
train_loader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
""" + LOOP),
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
        for cast in unscaled_casts(script):
            advice = ("pass `scale=True` to `ToDtype` (it scales uint8 images only when asked)"
                      if is_unscaled_to_dtype(script, cast) else
                      "divide by 255 (or use ToTensor / Normalize with the data's statistics)")
            yield Report(cast, (
                "uint8 pixels are cast to float without scaling and reach the model in 0..255: "
                "first-layer activations are hundreds of times larger than the initialisation "
                f"expects, so training is unstable and validation accuracy suffers; {advice}"
            ))

    # identity Normalize ----------------------------------------------------------------------
    def _identity_normalizations(self, script: Script) -> Iterator[Report]:
        pretrained = None
        for site in script.calls:
            if script.qualname(site.node.func) not in NORMALIZE_TRANSFORMS or not script.is_imported(site.node.func):
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

def _numbers(script: Script, expr: cst.BaseExpression | None, function: FunctionInfo) -> list[float] | None:
    if expr is None:
        return None
    if type(expr) is cst.Name:
        bounds = script.values(expr, function)
        if len(bounds) != 1 or type(bounds[0].expr) is cst.Name:
            return None
        return _numbers(script, bounds[0].expr, bounds[0].function)
    value = literal(expr)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return [value]
    if type(expr) in (cst.Tuple, cst.List):
        out = []
        for element in expr.elements:
            number = literal(element.value)
            if not isinstance(number, int | float) or isinstance(number, bool):
                return None
            out.append(number)
        return out or None
    if type(expr) is cst.BinaryOperation and type(expr.operator) is cst.Multiply:
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


