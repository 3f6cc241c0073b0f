from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.data import Loader, dataloaders, feeds_training, loader_arg, loader_keyword, loops_over
from fitlint.findings import Severity, Split
from fitlint.analysis.models import class_layers, model_layers, models_of
from fitlint.analysis.optimization import optimizers, param_sources
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import FunctionInfo, Obj, Script, call_arg, dotted, literal, subscripted_root, target_names
from fitlint.analysis.catalog import ObjKind

HEADER = """\
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3)
        self.bn = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32, 10)

    def forward(self, x):
        return self.fc(torch.relu(self.bn(self.conv(x))).mean((2, 3)))

model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
"""

TRAIN = """
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""

# a model whose normalization layers a function of the file builds
HELPER_BUILT = """
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), NORM, nn.ReLU())


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(conv_block(3, 32), conv_block(32, 64), nn.AdaptiveAvgPool2d(1))
        self.fc = nn.Linear(64, 10)

    def forward(self, x):
        return self.fc(self.body(x).flatten(1))


model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_set = TensorDataset(torch.randn(512, 3, 32, 32), torch.randint(0, 10, (512,)))
"""

# Tensor factories whose first argument is the number of rows: ``torch.randn(1153, 3, 32, 32)``.
_SIZED_FACTORIES = frozenset({"randn", "rand", "zeros", "ones", "empty"})


class BatchnormSmallBatch(Rule):
    """
    ## What it does
    Flags the training DataLoader of a model with batch-norm layers when its literal
    `batch_size` is below 8 (option `min_batch_size`), and when the dataset's length is known
    from the code (a `TensorDataset` over `torch.randn(N, ...)`) and leaves a last batch of a
    single sample without `drop_last=True`. The model is the one the optimizer trains (its
    class in this file, a torchvision builder, `efficientnet_pytorch`'s `EfficientNet.from_pretrained`,
    or an `nn.Sequential`), also through parameter groups and filters (`filter(lambda p: id(p) not
    in head_ids, model.parameters())`).

    Not flagged: batch sizes that do not resolve to a literal (command-line arguments, computed
    values; a constant such as `BATCH_SIZE = 8` does resolve), a loader given a `batch_sampler`,
    a `sampler` or a `**kwargs` spread that cannot be read but no `batch_size` (they may set it;
    with none of them the default batch of one is reported; a spread of a dict the file writes,
    `loader_kwargs = dict(batch_size=2, ...)`, is read and reported at its entry), validation and test loaders (evaluation uses the
    running statistics), models normalized with GroupNorm,
    LayerNorm or InstanceNorm, scripts that use `SyncBatchNorm` (the statistics are computed over
    the batches of all processes, so the per-process batch is not what counts), and scripts that
    freeze their batch-norm layers (`isinstance(m, nn.BatchNorm2d)` then `m.eval()`). Nor a loader
    of `batch_size=1` whose items the training loop squeezes at dimension 0 (`support.squeeze(0)`):
    each item is a whole batch already (a few-shot episode, batches collated ahead).

    ## Why is this bad?
    In training mode batch-norm normalizes each batch with that batch's own mean and variance and
    folds them into the running statistics used at evaluation. With a handful of samples those
    statistics are noisy: training sees a different normalization at every step and the running
    estimates used for validation do not match any of them, so validation accuracy lags far
    behind training accuracy (the seed: "BN needs at least 16 per batch"). The default flags
    batches below 8, where the harm is measured and large: in the Group Normalization paper's
    ResNet-50 on ImageNet, batch-norm's validation error is 23.7% at 16 images per batch, 24.8% at
    8, 27.3% at 4 and 34.7% at 2; at 8 the cost is about a point, and segmentation models commonly
    train that way (set `min_batch_size = 16` for the seed's stricter line). A final batch of one
    sample makes `BatchNorm1d` raise, and gives `BatchNorm2d` a degenerate normalization.

    ## Example
    ```python
    train_loader = DataLoader(train_set, batch_size=4, shuffle=True)
    ```

    ## Use instead
    ```python
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True, drop_last=True)
    # or, when memory forces small batches: nn.GroupNorm instead of nn.BatchNorm2d
    ```

    ## References
    - https://arxiv.org/abs/1803.08494 (Group Normalization, figure 1 and table 2: batch-norm's
      error by batch size)
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html
    """

    code = "FIT504"
    name = "batchnorm-small-batch"
    severity = Severity.WARNING
    options = {"min_batch_size": 8}

    VALID = [
        # the helper builds GroupNorm: no batch statistics
        Valid(HELPER_BUILT.replace("NORM", "nn.GroupNorm(8, cout)")
              + "train_loader = DataLoader(train_set, batch_size=4, shuffle=True)\n" + TRAIN),
        Valid(HEADER + "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\n" + TRAIN),
        Valid(HEADER + "train_loader = DataLoader(train_set, batch_size=16, shuffle=True)\n" + TRAIN),
        # 8 per batch costs batch-norm about a point of accuracy: common, not a mistake
        Valid(HEADER + "train_loader = DataLoader(train_set, batch_size=8, shuffle=True)\n" + TRAIN),
        # small batches with GroupNorm: no batch statistics
        Valid(HEADER.replace("nn.BatchNorm2d(32)", "nn.GroupNorm(8, 32)")
              + "train_loader = DataLoader(train_set, batch_size=8, shuffle=True)\n" + TRAIN),
        Valid(HEADER.replace("nn.BatchNorm2d(32)", "nn.LayerNorm(32)")
              + "train_loader = DataLoader(train_set, batch_size=4, shuffle=True)\n" + TRAIN),
        # a small validation batch: evaluation uses the running statistics
        Valid(HEADER + """
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=4, shuffle=False)
""" + TRAIN),
        # a config dict overwritten from the command line: unknown
        Valid(HEADER + """
config = {"batch_size": 4}
config.update(vars(args))
train_loader = DataLoader(train_set, batch_size=config["batch_size"], shuffle=True)
""" + TRAIN),
        # batch size from the command line: unknown
        Valid(HEADER + """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--batch-size", type=int, default=4)
args = parser.parse_args()
train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
""" + TRAIN),
        # SyncBatchNorm: statistics over every process's batch
        Valid(HEADER + """
model = nn.SyncBatchNorm.convert_sync_batchnorm(model)
train_loader = DataLoader(train_set, batch_size=4, sampler=sampler)
""" + TRAIN),
        # batch-norm layers frozen in eval mode while fine-tuning with small batches
        Valid(HEADER + """
def freeze_bn(net):
    for m in net.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()
train_loader = DataLoader(train_set, batch_size=2, shuffle=True)
model.train()
freeze_bn(model)
""" + TRAIN),
        # a known dataset length whose last batch is full
        Valid(HEADER + """
x_train = torch.randn(1024, 3, 32, 32)
y_train = torch.randint(0, 10, (1024,))
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True)
""" + TRAIN),
        # ... or whose single-sample remainder is dropped
        Valid(HEADER + """
x_train = torch.randn(1025, 3, 32, 32)
y_train = torch.randint(0, 10, (1025,))
train_loader = DataLoader(TensorDataset(x_train, y_train), batch_size=32, shuffle=True, drop_last=True)
""" + TRAIN),
        # a model without batch-norm trained with batch size 1
        Valid("""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(train_set, batch_size=1, shuffle=True)
""" + TRAIN),
    ]

    INVALID = [
        Invalid(HEADER + "train_loader = DataLoader(train_set, batch_size=4, shuffle=True)  # FIT504\n" + TRAIN),
        # batch-norm built by a helper function of the file
        Invalid(HELPER_BUILT.replace("NORM", "nn.BatchNorm2d(cout)")
                + "train_loader = DataLoader(train_set, batch_size=4, shuffle=True)  # FIT504\n" + TRAIN),
        # through the entry of a config dict
        Invalid(HEADER + """
config = {"batch_size": 4, "epochs": 10}
train_loader = DataLoader(train_set, batch_size=config["batch_size"], shuffle=True)  # FIT504
""" + TRAIN),
        # through a constant
        Invalid(HEADER + """
BATCH_SIZE = 4
train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True)  # FIT504
""" + TRAIN),
        # a torchvision ResNet
        Invalid("""
import torch
import torchvision
from torch import nn, optim
model = torchvision.models.resnet50(num_classes=10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=2, shuffle=True)  # FIT504
""" + TRAIN.replace("train_loader", "trainloader")),
        # an nn.Sequential with BatchNorm1d and a final batch of one sample
        Invalid("""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset
model = nn.Sequential(nn.Linear(20, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 2))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
features = torch.randn(1153, 20)
labels = torch.randint(0, 2, (1153,))
train_loader = DataLoader(TensorDataset(features, labels), batch_size=64, shuffle=True)  # FIT504
""" + TRAIN),
        # a Lightning module with batch-norm
        Invalid("""
import torch
import lightning as L
from torch import nn
from torch.utils.data import DataLoader
class LitNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.Flatten(), nn.LazyLinear(10))
    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.cross_entropy(self.net(x), y)
    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=1e-3)
    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=4, shuffle=True)  # FIT504
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        if self._batch_statistics_shared_or_frozen(script):
            return
        minimum = self.opts["min_batch_size"]
        for loader in dataloaders(script):
            if loader.split is not Split.TRAIN or not self._trains_batchnorm(script, _optimizers_fed_by(script, loader)):
                continue
            if feeds_training(script, loader.obj) is False:
                continue  # named for training, but every loop over it evaluates
            node = loader_keyword(script, loader.obj, "batch_size")
            size = loader.batch_size
            if node is None and _default_batch(loader):
                node = loader.call  # `DataLoader(dataset)`: batches of one, the default
            if node is None or not isinstance(size, int) or isinstance(size, bool) or size <= 0:
                continue
            if size == 1 and _items_are_batches(script, loader):
                continue  # each item is a batch already (an episode, a pre-collated batch)
            if size < minimum:
                yield Report(node, self._small_message(size, minimum, loader, node))
                continue
            length = _dataset_length(script, loader)
            if length is not None and length % size == 1 and loader.drop_last is not True:
                yield Report(node, self._last_batch_message(size, length))

    @staticmethod
    def _small_message(size: int, minimum: int, loader: Loader, node: cst.CSTNode) -> str:
        advice = " and `drop_last=True`" if loader.drop_last is not True else ""
        default = " (DataLoader's default: no `batch_size` is given)" if node is loader.call else ""
        return (
            f"a model with batch-norm trains with batches of {size}{default} (below {minimum}): each step "
            "normalizes with the noisy statistics of a few samples and the running estimates used for "
            "validation match none of them, so validation accuracy lags training accuracy; use a batch "
            f"of at least {minimum}{advice}, or GroupNorm/LayerNorm instead of batch-norm"
        )

    @staticmethod
    def _last_batch_message(size: int, length: int) -> str:
        return (
            f"{length} training samples in batches of {size} leave a last batch of one sample: "
            "batch-norm cannot normalize a single sample (BatchNorm1d raises, BatchNorm2d gets a "
            "degenerate batch); pass `drop_last=True`"
        )

    @staticmethod
    def _trains_batchnorm(script: Script, fed: list[Obj] | None) -> bool:
        """A model trained on the loader's batches (by the optimizers stepped in the loops over it,
        else by any optimizer in the file) has batch-norm layers (positive evidence only)."""
        for obj in optimizers(script) if fed is None else fed:
            for source in param_sources(script, obj, filtered=True) or []:
                for model in _models_behind(script, source.module, source.function):
                    if "batchnorm" in model_layers(script, model).kinds:
                        return True
                if type(source.module) is cst.Name and source.module.value == "self":
                    cls = source.function.cls
                    if cls is not None and "batchnorm" in _class_kinds(script, cls.name):
                        return True
        return False

    @staticmethod
    def _batch_statistics_shared_or_frozen(script: Script) -> bool:
        """SyncBatchNorm, or batch-norm layers switched to eval mode one by one (``if isinstance(m,
        nn.BatchNorm2d): m.eval()``); not the weight-init loop (``m.weight.data.fill_(1)``)."""
        for site in script.calls:
            qualname = script.qualname(site.node.func) or ""
            if qualname == "torch.nn.SyncBatchNorm" or site.method == "convert_sync_batchnorm":
                return True
            if site.name == "isinstance" and len(site.node.args) == 2:
                classes = site.node.args[1].value
                elements = [e.value for e in classes.elements] if type(classes) is cst.Tuple else [classes]
                checked = dotted(site.node.args[0].value)
                if checked is not None and any(catalog.layer_kind(script.qualname(e) or "") == "batchnorm" for e in elements) \
                        and any(inner.method == "eval" and dotted(inner.receiver) == checked for inner in site.function.calls):
                    return True
        return False


def _items_are_batches(script: Script, loader: Loader) -> bool:
    """A training loop over the loader (any training loop, when the loops over it cannot be told)
    squeezes the loader's dimension off what it walks (``support.squeeze(0)``): each item is a
    whole batch, an episode of a few-shot task or a batch collated ahead, and batch-norm sees that."""
    loops = [loop for loop in loops_over(script, loader.obj) or script.loops if script.loop_trains(loop)]
    for loop in loops:
        if type(loop.node) is not cst.For:
            continue
        walked = set(target_names(loop.node.target))
        # (`data["image"].squeeze(0)`: an entry of the item counts as the item)
        if any(site.method == "squeeze" and literal(call_arg(site.node, 0, "dim")) == 0
               and site.receiver is not None and dotted(subscripted_root(site.receiver)) in walked for site in loop.all_calls()):
            return True
    return False


def _optimizers_fed_by(script: Script, loader: Loader) -> list[Obj] | None:
    """The optimizers stepped in the training loops over this loader (in the loop or in the local
    functions it calls); None when there is no such loop or a stepped optimizer is unknown."""
    found: list[Obj] = []
    for loop in script.loops:
        source = script.loop_source(loop)
        if source is None or not any(bound.expr is loader.call for bound in script.values(source, loop.function)):
            continue
        for site in script.calls_reached(loop.all_calls()):
            if not script.is_optimizer_step(site):
                continue
            objs = script.objects(site.receiver, site.function)
            if not any(obj.kind is ObjKind.OPTIMIZER for obj in objs):
                objs = script.objects(site.arg(0, "optimizer"), site.function)
            objs = [obj for obj in objs if obj.kind is ObjKind.OPTIMIZER]
            if not objs:
                return None
            found += objs
    return found or None


def _models_behind(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> list[Obj]:
    """The models ``expr`` is, or the model it is an attribute of (``model.fc`` -> ``model``)."""
    while True:
        found = models_of(script, expr, function)
        if found or type(expr) is not cst.Attribute:
            return found
        expr = expr.value


def _class_kinds(script: Script, name: str) -> frozenset[str]:
    cls = script.classes.get(name)
    return class_layers(script, cls).kinds if cls is not None else frozenset()


def _dataset_length(script: Script, loader: Loader) -> int | None:
    """The number of samples of a ``TensorDataset`` over tensors of literal length."""
    for bound in script.values(loader.dataset, loader.obj.function):
        expr = bound.expr
        if not (type(expr) is cst.Call and (script.qualname(expr.func) or "").endswith("TensorDataset")):
            return None
        lengths = set()
        for arg in expr.args:
            for tensor in script.values(arg.value, bound.function):
                lengths.add(_rows(script, tensor.expr))
        if len(lengths) == 1 and None not in lengths:
            return lengths.pop()
        return None
    return None


def _rows(script: Script, expr: cst.BaseExpression) -> int | None:
    if type(expr) is not cst.Call:
        return None
    qualname = script.qualname(expr.func) or ""
    last = qualname.rsplit(".", 1)[-1]
    if not qualname.startswith("torch.") or not expr.args:
        return None
    if last in _SIZED_FACTORIES:
        first = expr.args[0].value
        if type(first) in (cst.Tuple, cst.List) and first.elements:
            first = first.elements[0].value
        value = literal(first)
    elif last == "randint":
        size = call_arg(expr, 2, "size")
        if type(size) not in (cst.Tuple, cst.List) or not size.elements:
            return None
        value = literal(size.elements[0].value)
    else:
        return None
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _default_batch(loader: Loader) -> bool:
    """The loader is built with no batch size at all, no sampler that batches and no spread
    keywords (``DataLoader(train_data)``): PyTorch's default of one sample per batch."""
    call = loader.call
    return loader.batch_size == 1 and not any(arg.star for arg in call.args) and all(
        loader_arg(call, name) is None for name in ("batch_size", "batch_sampler", "sampler"))
