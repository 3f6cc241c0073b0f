from __future__ import annotations

import io
import re
import tokenize
from typing import Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.findings import Severity
from fitlint.analysis.models import models_of
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, ClassInfo, Script, call_arg, dotted, literal, memoized, walk

HEADER = """\
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 512)
        self.fc2 = nn.Linear(512, 512)
        self.fc3 = nn.Linear(512, 2)

    def forward(self, x):
        return self.fc3(torch.relu(self.fc2(torch.relu(self.fc1(x)))))


model = Net()
criterion = nn.CrossEntropyLoss()
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
"""

TRAIN = """
for epoch in range(100):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""

# Optimizers whose weight decay defaults to 0, with the position of `weight_decay` (torch 2.13
# signatures: SGD(params, lr, momentum, dampening, weight_decay, ...)); None: it takes none.
# AdamW (0.01) and Muon (0.1) decay by default and are not listed.
_NO_DEFAULT_DECAY = {
    "SGD": 4, "Adam": 4, "RMSprop": 4, "Adagrad": 3, "Adadelta": 4, "Adamax": 4, "NAdam": 4,
    "RAdam": 4, "ASGD": 5, "Adafactor": 5, "Rprop": None, "LBFGS": None, "SparseAdam": None,
}
_CLASSIFICATION_LOSSES = frozenset({
    "torch.nn.CrossEntropyLoss", "torch.nn.NLLLoss", "torch.nn.BCELoss", "torch.nn.BCEWithLogitsLoss",
    "torch.nn.MultiMarginLoss", "torch.nn.MultiLabelSoftMarginLoss", "torch.nn.functional.cross_entropy",
    "torch.nn.functional.nll_loss", "torch.nn.functional.binary_cross_entropy",
    "torch.nn.functional.binary_cross_entropy_with_logits",
})
# the vocabulary of a model that rebuilds its input (a VAE's KL term, an autoencoder's reconstruction)
_GENERATIVE = re.compile(r"\blogvar\b|log_var\b|reparameteri[sz]e|\bKLD\b|\bkl_div|autoencoder|\bx_hat\b|\brecon_",
                         re.IGNORECASE)
# Anything in the file that regularizes, or might: its presence silences the rule.
_REGULARIZERS = re.compile(
    r"dropout|drop_?path|drop_?rate|dropblock"  # dropout in any form
    r"|\bl2\b|l2_|_l2|regulari[sz]|penalty"  # an L2 term by hand, named
    r"|(?:\.pow\(\s*2\s*\)|\*\*\s*2|\.norm\()[^\n]*\.parameters\(\)"  # ... or written out over the parameters
    r"|augment|mix_?up|cut_?mix|cutout|jitter|albumentations|imgaug|kornia|randn_like"  # augmentation, noise
    # flips and rotations written by hand (`img[:, ::-1]`, `np.fliplr`, `TF.hflip`, `torch.rot90`)
    r"|fliplr|flipud|hflip|vflip|rot90|\bflip\(|,\s*::-1\s*[\],]"
    r"|noise_multiplier|make_private"  # differentially private SGD: clipped, noised per-sample gradients
    r"|early_?stop|best_(?:val|acc|loss|model|state|score|epoch|prec|top1|f1|metric|dice|iou|miou|auc|map|psnr|ssim)"  # early stopping
    r"|label_?smooth"  # label smoothing
    r"|pretrained|load_state_dict|torch\.hub"  # fine-tuning (or resuming): short schedules
    r"|transformer(?:encoder|decoder)?layer|nn\.transformer\b",  # dropout=0.1 by default
    re.IGNORECASE,
)
_AUGMENTATIONS = re.compile(
    r"Random(?:Crop|HorizontalFlip|VerticalFlip|ResizedCrop|Rotation|Affine|Perspective|Erasing|Grayscale"
    r"|Apply|Choice|Order|Invert|Posterize|Solarize|AdjustSharpness|Autocontrast|Equalize|IoUCrop|ZoomOut"
    r"|PhotometricDistort|Resize|ShortestSize|ChannelPermutation)"
    r"|ColorJitter|AutoAugment|RandAugment|TrivialAugment|AugMix|ElasticTransform|GaussianBlur|GaussianNoise"
    r"|FrequencyMasking|TimeMasking"
)
# Zero-valued settings that do not regularize (and must not silence the rule through the regex).
_ZERO_SETTINGS = re.compile(r"(?:label_smoothing|weight_decay)\s*=\s*0(?:\.0*)?(?![\w.])")
_WEIGHT_DECAY = re.compile(r"weight_decay|\bdecay", re.IGNORECASE)
_MAX_DEPTH = 6


class NoRegularization(Rule):
    """
    ## What it does
    Suggests regularization (info, off by default: enable with `--select FIT602`) for a classifier
    trained with none at all: the model is defined in the script and has no dropout, its one
    optimizer has no weight decay (no `weight_decay=`, or `weight_decay=0`; not AdamW, which decays
    by default), and nothing anywhere in the file augments the data, smooths labels, adds an L2 term
    by hand or stops early.

    It needs the whole picture to speak: a model whose layers are fully visible (a model from
    torchvision, timm or another module is unknown, so it stays silent), a classification loss,
    no sign of a model that rebuilds its input (a VAE's `logvar` and KL term, an autoencoder's
    `x_hat`: its binary cross-entropy scores a reconstruction, not a class), and one optimizer
    whose weight decay is known (`weight_decay=args.wd` is unknown: silent;
    positional weight decay `SGD(params, 0.1, 0.9, 0, 5e-4)` and per-group `'weight_decay'` count).
    Anything that hints at regularization silences it: dropout in any form, augmentation
    transforms (RandomCrop, RandomHorizontalFlip, ColorJitter, RandAugment, mixup / cutmix,
    albumentations, ...) and flips or rotations written by hand (`img[:, ::-1]`, `np.fliplr`,
    `TF.hflip`, `torch.rot90`), input noise, differentially private training (Opacus's `make_private`:
    every per-sample gradient clipped and noised), label smoothing, early stopping or keeping the
    checkpoint with the best validation score (the same effect: the epoch is chosen on held-out
    data), and fine-tuning from pretrained weights (short schedules, where the advice does not fit).
    Batch-norm does not count as regularization: its batch-statistics noise is mild and shrinks as
    the batch grows; ResNets with batch-norm are still trained with weight decay and augmentation.

    ## Why is this bad?
    It is not a bug, it is the first thing to try when the curves diverge (the seed's point 9:
    "过拟合 ... 增大L2正则项, 在全连接层加入Dropout层", overfitting: increase the L2 term, add dropout
    to the fully connected layers). A network with enough parameters and nothing that penalizes
    memorizing fits the training set, 1,440 samples in the seed, to ~100% while validation
    accuracy stalls. Dropout keeps any single feature from carrying a large weight, weight decay
    shrinks the weights' squared norm, augmentation multiplies the samples the model sees.

    ## Example
    ```python
    model = Net()  # Linear / ReLU layers only
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    ```

    ## Use instead
    ```python
    model = Net()  # with nn.Dropout(0.5) before the last layer
    optimizer = optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    ```
    and augmentation of the training inputs where the data allows.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.optim.AdamW.html
    - https://pytorch.org/docs/stable/generated/torch.nn.Dropout.html
    - https://pytorch.org/vision/stable/transforms.html
    - The seed document (../shared/seed/), point 9.
    """

    code = "FIT602"
    name = "no-regularization"
    severity = Severity.INFO
    default_enabled = False

    VALID = [
        # weight decay given
        Valid(HEADER + "optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)\n" + TRAIN),
        # positional weight decay: SGD(params, lr, momentum, dampening, weight_decay)
        Valid(HEADER + "optimizer = optim.SGD(model.parameters(), 0.1, 0.9, 0, 5e-4)\n" + TRAIN),
        # AdamW decays by default (0.01)
        Valid(HEADER + "optimizer = optim.AdamW(model.parameters(), lr=1e-3)\n" + TRAIN),
        # weight decay in a parameter group
        Valid(HEADER + """
optimizer = optim.SGD([
    {"params": model.fc1.parameters(), "weight_decay": 1e-4},
    {"params": model.fc3.parameters()},
], lr=0.1)
""" + TRAIN),
        # config-driven weight decay: unknown
        Valid(HEADER + "optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=args.wd)\n" + TRAIN),
        # augmentation in the training transform
        Valid(HEADER.replace("from torch.utils.data import DataLoader", """from torch.utils.data import DataLoader
from torchvision import transforms
train_tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])""")
              + "optimizer = optim.Adam(model.parameters(), lr=1e-3)\n" + TRAIN),
        # a flip written by hand in the dataset (`img[:, ::-1]` at random)
        Valid(HEADER + """
import numpy as np
class Flipped(torch.utils.data.Dataset):
    def __init__(self, images, labels):
        self.images, self.labels = images, labels
    def __len__(self):
        return len(self.images)
    def __getitem__(self, i):
        img = self.images[i]
        if np.random.rand() < 0.5:
            img = img[:, ::-1].copy()
        return torch.from_numpy(img), self.labels[i]
optimizer = optim.Adam(model.parameters(), lr=1e-3)
""" + TRAIN),
        # dropout in the model
        Valid(HEADER.replace("self.fc3 = nn.Linear(512, 2)", "self.fc3 = nn.Sequential(nn.Dropout(0.5), nn.Linear(512, 2))")
              + "optimizer = optim.Adam(model.parameters(), lr=1e-3)\n" + TRAIN),
        # a torchvision model: its layers are not ours to judge
        Valid("""
import torch
import torch.nn as nn
import torch.optim as optim
from torchvision import models
model = models.resnet18(num_classes=10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
""" + TRAIN),
        # fine-tuning from pretrained weights with a few epochs
        Valid(HEADER + """
model.load_state_dict(torch.load("pretrained.pt"))
optimizer = optim.Adam(model.parameters(), lr=1e-4)
""" + TRAIN),
        # L2 by hand and label smoothing
        Valid(HEADER + """
optimizer = optim.Adam(model.parameters(), lr=1e-3)
for x, y in train_loader:
    loss = criterion(model(x), y)
    loss = loss + 1e-4 * sum(p.pow(2).sum() for p in model.parameters())  # l2 term
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
"""),
        Valid(HEADER.replace("nn.CrossEntropyLoss()", "nn.CrossEntropyLoss(label_smoothing=0.1)")
              + "optimizer = optim.Adam(model.parameters(), lr=1e-3)\n" + TRAIN),
        # the best validation checkpoint is kept: early stopping in effect
        Valid(HEADER + "optimizer = optim.Adam(model.parameters(), lr=1e-3)\n" + TRAIN + """
    val_acc = evaluate(model, val_loader)
    if val_acc > best_acc:
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")
"""),
        # ... also chosen on a segmentation score
        Valid(HEADER + "optimizer = optim.Adam(model.parameters(), lr=1e-3)\n" + TRAIN + """
    val_dice = evaluate(model, val_loader)
    if val_dice > best_dice:
        best_dice = val_dice
        torch.save(model.state_dict(), "unet_best.pt")
"""),
        # differentially private SGD (Opacus): per-sample clipping and gradient noise regularize strongly
        Valid(HEADER + """
from opacus import PrivacyEngine
optimizer = optim.SGD(model.parameters(), lr=0.5)
model, optimizer, train_loader = PrivacyEngine().make_private(
    module=model, optimizer=optimizer, data_loader=train_loader, noise_multiplier=1.1, max_grad_norm=1.0)
""" + TRAIN),
        # a GAN: two optimizers, not a classifier's overfitting question
        Valid(HEADER + """
netD, netG = Net(), Net()
optD = optim.Adam(netD.parameters(), lr=2e-4, betas=(0.5, 0.999))
optG = optim.Adam(netG.parameters(), lr=2e-4, betas=(0.5, 0.999))
"""),
        # a model block imported from another module: unknown layers
        Valid("""
import torch.nn as nn
import torch.optim as optim
from blocks import ResidualBlock
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = ResidualBlock(64)
        self.head = nn.Linear(64, 10)
model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
"""),
        # a VAE: its binary cross-entropy scores the reconstruction of its input, beside a KL term
        Valid("""
import torch
import torch.nn as nn
import torch.optim as optim
class VAE(nn.Module):
    def __init__(self, d=20):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 400), nn.ReLU(), nn.Linear(400, 2 * d))
        self.decoder = nn.Sequential(nn.Linear(d, 400), nn.ReLU(), nn.Linear(400, 784), nn.Sigmoid())
        self.d = d
    def forward(self, x):
        mu, logvar = self.encoder(x.view(-1, 784)).chunk(2, dim=1)
        std = (0.5 * logvar).exp()
        return self.decoder(mu + std.data.new(std.size()).normal_() * std), mu, logvar
def loss_function(x_hat, x, mu, logvar):
    BCE = nn.functional.binary_cross_entropy(x_hat, x.view(-1, 784), reduction="sum")
    KLD = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp())
    return BCE + KLD
model = VAE()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
for x, _ in train_loader:
    x_hat, mu, logvar = model(x)
    optimizer.zero_grad()
    loss_function(x_hat, x, mu, logvar).backward()
    optimizer.step()
"""),
    ]

    INVALID = [
        Invalid(HEADER + "optimizer = optim.Adam(model.parameters(), lr=1e-3)  # FIT602\n" + TRAIN),
        # weight_decay=0 is no weight decay; batch-norm does not count
        Invalid(HEADER.replace("self.fc3 = nn.Linear(512, 2)", "self.fc3 = nn.Sequential(nn.BatchNorm1d(512), nn.Linear(512, 2))")
                + "optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=0)  # FIT602\n" + TRAIN),
        # an nn.Sequential model
        Invalid("""
import torch.nn as nn
import torch.optim as optim
model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 2))
optimizer = optim.RMSprop(model.parameters(), lr=1e-3)  # FIT602
loss_fn = nn.BCEWithLogitsLoss()
"""),
        # a Trainer class holding the model and the optimizer
        Invalid("""
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3)
        self.fc = nn.Linear(32 * 30 * 30, 10)
    def forward(self, x):
        return self.fc(F.relu(self.conv(x)).flatten(1))
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.SGD(self.model.parameters(), lr=0.01, momentum=0.9)  # FIT602
    def step(self, x, y):
        self.optimizer.zero_grad()
        F.cross_entropy(self.model(x), y).backward()
        self.optimizer.step()
trainer = Trainer(ConvNet())
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        optimizers = [site for site in script.calls if _is_optimizer(script, site)]
        if len(optimizers) != 1 or not _has_classification_loss(script):
            return
        site = optimizers[0]
        if not _no_weight_decay(script, site):
            return
        models = _trained_models(script, site)
        if not models or not all(_plain_model(script, model) for model in models):
            return
        # last: the text search may tokenize the file, which costs more than the checks above
        if _file_regularizes(script) or _GENERATIVE.search(script.source):
            return  # (a VAE's binary cross-entropy rebuilds its input: no classifier, no accuracy)
        names = ", ".join(f"`{name}`" for name in sorted({_model_name(model) for model in models}))
        yield Report(site.node, (
            f"suggestion: {names} is trained with no dropout, no weight decay and no data augmentation "
            "anywhere in this script; if validation accuracy stalls while training accuracy climbs "
            "(overfitting), add dropout, weight decay (e.g. `weight_decay=5e-4`, or AdamW) or augmentation"))


def _is_optimizer(script: Script, site: CallSite) -> bool:
    return script.is_imported(site.node.func) and catalog.is_optimizer(script.qualname(site.node.func) or "")


def _has_classification_loss(script: Script) -> bool:
    return any(script.qualname(site.node.func) in _CLASSIFICATION_LOSSES and script.is_imported(site.node.func)
               for site in script.calls)


@memoized
def _file_regularizes(script: Script) -> bool:
    # Blanking prose only removes matches, so a source without one as written needs no tokenizing.
    return _mentions_regularization(script.source) and _mentions_regularization(_without_prose(script.source))


def _mentions_regularization(source: str) -> bool:
    text = _ZERO_SETTINGS.sub("", source)
    return bool(_REGULARIZERS.search(text) or _AUGMENTATIONS.search(text) or _WEIGHT_DECAY.search(text))


def _without_prose(source: str) -> str:
    """The source with comments and docstrings blanked: a docstring that says "no dropout" is not
    dropout. Other strings stay (``cfg["dropout"]`` may well configure some)."""
    lines = source.splitlines(keepends=True)
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(source).readline))
    except (tokenize.TokenError, SyntaxError):
        return source
    previous = tokenize.NEWLINE
    spans = []
    for token in tokens:
        if token.type == tokenize.COMMENT or (
            token.type == tokenize.STRING and previous in (tokenize.NEWLINE, tokenize.NL, tokenize.INDENT, tokenize.DEDENT)
        ):
            spans.append((token.start, token.end))
        if token.type not in (tokenize.COMMENT, tokenize.NL):
            previous = token.type
    for (start_row, start_col), (end_row, end_col) in reversed(spans):
        if start_row == end_row:
            line = lines[start_row - 1]
            lines[start_row - 1] = line[:start_col] + " " * (end_col - start_col) + line[end_col:]
        else:
            lines[start_row - 1] = lines[start_row - 1][:start_col] + "\n"
            for row in range(start_row, end_row - 1):
                lines[row] = "\n"
            lines[end_row - 1] = " " * end_col + lines[end_row - 1][end_col:]
    return "".join(lines)


def _no_weight_decay(script: Script, site: CallSite) -> bool:
    """The optimizer is known to apply no weight decay."""
    call = site.node
    qualname = script.qualname(call.func) or ""
    last = qualname.rsplit(".", 1)[-1]
    if not qualname.startswith("torch.optim.") or last not in _NO_DEFAULT_DECAY:
        return False
    if any(arg.star for arg in call.args):
        return False
    position = _NO_DEFAULT_DECAY[last]
    value = call_arg(call, position, "weight_decay")
    return value is None or literal(value) in (0, 0.0)


# the model the optimizer trains ----------------------------------------------------------------
def _trained_models(script: Script, site: CallSite) -> list[cst.Call | ClassInfo]:
    """The model constructions (or, for `self.parameters()` in a module, the class) whose
    parameters the optimizer receives; empty when any of them is unknown."""
    params = call_arg(site.node, 0, "params")
    if params is None:
        return []
    receivers = []
    for bound in script.values(params, site.function):
        finder = _ParametersCalls()
        walk(bound.expr, finder)
        if not finder.receivers:
            return []
        receivers += [(receiver, bound.function) for receiver in finder.receivers]
    out: list[cst.Call | ClassInfo] = []
    for receiver, function in receivers:
        while type(receiver) is cst.Attribute and not (dotted(receiver) or "").startswith("self."):
            receiver = receiver.value  # `model.fc.parameters()`: the model
        if type(receiver) is cst.Name and receiver.value == "self" and function.cls is not None:
            if not script.class_is(function.cls, catalog.MODULE_BASES):
                return []
            out.append(function.cls)
            continue
        found = models_of(script, receiver, function)
        if not found:
            return []
        out += [obj.call for obj in found]
    return out


class _ParametersCalls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.receivers: list[cst.BaseExpression] = []

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if type(func) is cst.Attribute and func.attr.value in ("parameters", "named_parameters"):
            self.receivers.append(func.value)


def _model_name(model: cst.Call | ClassInfo) -> str:
    if isinstance(model, ClassInfo):
        return model.name
    return dotted(model.func) or "the model"


def _plain_model(script: Script, model: cst.Call | ClassInfo) -> bool:
    """Every layer of the model is visible here and none is a dropout: a local module class (and
    the local classes and helper functions it uses) or an `nn.Sequential` of torch layers."""
    if isinstance(model, ClassInfo):
        return _plain_class(script, model, 0, set())
    qualname = script.qualname(model.func) or ""
    if script.is_imported(model.func):
        if qualname not in ("torch.nn.Sequential", "torch.nn.ModuleList"):
            return False
        return _plain_calls(script, model, 0, set())
    cls = script.classes.get(qualname)
    return cls is not None and _plain_class(script, cls, 0, set())


def _plain_class(script: Script, cls: ClassInfo, depth: int, seen: set[int]) -> bool:
    if id(cls) in seen:
        return True
    seen.add(id(cls))
    for base in cls.bases:
        if base in script.classes:
            if not _plain_class(script, script.classes[base], depth + 1, seen):
                return False
        elif script.resolve_dotted(base) not in catalog.MODULE_BASES:
            return False
    return _plain_calls(script, cls.node, depth, seen)


def _plain_calls(script: Script, node: cst.CSTNode, depth: int, seen: set[int]) -> bool:
    if depth > _MAX_DEPTH:
        return False
    finder = _Calls()
    walk(node, finder)
    for call in finder.calls:
        qualname = script.qualname(call.func)
        if qualname is None:
            continue  # `self.block(x)`, `x.view(...)`: methods on objects already inspected
        if catalog.layer_kind(qualname) == "dropout":
            return False
        if script.is_imported(call.func):
            if not qualname.startswith("torch.") or qualname.startswith("torch.hub"):
                return False
            continue
        if "." in qualname:
            continue  # `self._make_layer(...)`, `x.flatten(1)`: code inside this class
        if qualname in script.classes:
            if not _plain_class(script, script.classes[qualname], depth + 1, seen):
                return False
            continue
        helpers = [function for function in script.functions_by_name.get(qualname, []) if function.cls is None]
        if helpers:
            for helper in helpers:
                if id(helper) not in seen:
                    seen.add(id(helper))
                    if not _plain_calls(script, helper.node, depth + 1, seen):
                        return False
            continue
        if qualname[:1].isupper():
            return False  # a class from a star import or defined elsewhere
    return True


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        self.calls: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(node)
