from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.data import (
    Loader, ShuffleState, dataloaders, dataset_split, feeds_training, helper_loaders, loader_arg, never_used, peeked_once, resampled_at_random,
    samples_at_random, split_from_name, trained_over, whole_dataset_batches,
)
from fitlint.analysis.splits import batches_in_stored_order, generator_batches_in_stored_order, presplit_batches
from fitlint.findings import HELD_OUT, Severity, Split
from fitlint.fixes.edits import replace_node, with_keyword
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import Script, call_arg, literal, short_code

HEADER = """\
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset
model = nn.Linear(10, 2)
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

# Recurrent layers: a loader kept in order on purpose (BPTT over a contiguous stream).
_RECURRENT = frozenset({"torch.nn.LSTM", "torch.nn.GRU", "torch.nn.RNN"})


# statistics computed with one loader, then the training loader built again
STATS_THEN_TRAIN = """
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def get_mean_std(loader):
    channels_sum, channels_sqrd_sum, num_batches = 0, 0, 0
    for data, _ in loader:
        channels_sum += torch.mean(data, dim=[0, 2, 3])
        channels_sqrd_sum += torch.mean(data ** 2, dim=[0, 2, 3])
        num_batches += 1
    mean = channels_sum / num_batches
    return mean, (channels_sqrd_sum / num_batches - mean ** 2) ** 0.5


train_set = datasets.CIFAR10("data", train=True, download=True, transform=transforms.ToTensor())
train_loader = DataLoader(train_set, batch_size=1000, shuffle=False)
mean, std = get_mean_std(train_loader)

transform = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.ToTensor(), transforms.Normalize(mean, std)])
train_set = datasets.CIFAR10("data", train=True, transform=transform)
train_loader = {training_loader}

model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
"""

class TrainLoaderNotShuffled(Rule):
    """
    ## What it does
    Flags the training DataLoader when it has neither `shuffle=True` nor a shuffling sampler
    (RandomSampler, WeightedRandomSampler, SubsetRandomSampler, DistributedSampler), including a
    `shuffle=True` that only one of the keyword dicts it may receive sets. A loader is the training
    one when a loop over it steps the optimizer, or, failing that, when its name or its dataset
    says so (`train_loader`, `datasets.CIFAR10(..., train=True)`); a spare loader that nothing
    reads, beside another loader that training walks, is not. One call that builds the loader of
    every split (`{x: DataLoader(sets[x], batch_size=32) for x in ['train', 'val']}`) builds the
    training one too: without `shuffle=`, that entry does not shuffle (`shuffle=(x == 'train')`
    is the usual fix); so does a helper whose call a Lightning `train_dataloader()` returns
    (`return self._loader(self.train_ds)`).

    Training without a DataLoader is the same mistake when a loop cuts its batches by hand in
    stored order (`for i in range(0, n, bs): X_train[i:i + bs]`, the same walk written as
    `while i < n:` with `i += bs`, a slice object `inds = slice(b * bs, (b + 1) * bs)` then
    `X_train[inds]`, or a list of `(start, end)` bounds made
    once over a range and never shuffled) and nothing in the file permutes the arrays
    (no `randperm`, `shuffle`, random split), nor the array they are columns of (`X = data[:, :-1]`
    keeps the rows in stored order); time series, text streams and recurrent
    models, kept in order on purpose, are left alone. A batch generator of the file with a
    shuffling option (`iterate_minibatches(X, y, bs, shuffle=False)`) that the training call leaves
    off is reported at that call. Full-batch training is left alone too, a loader whose
    one batch is its whole dataset (`batch_size=len(train_set)`, or the length `random_split`
    gave the part): the order inside one batch changes nothing.

    ## Why is this bad?
    DataLoader's default is `shuffle=False`: every epoch walks the data in stored order. Data is
    often stored sorted (by class folder, by label, by time), so each batch holds one class and the
    model is pulled towards whichever class it saw last; training accuracy can still climb while
    validation accuracy stays near chance. Even on shuffled files, the same batch order every epoch
    weakens the noise SGD relies on.

    ## Example
    ```python
    train_loader = DataLoader(train_set, batch_size=64)
    ```

    ## Use instead
    ```python
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    ```

    ## Fix safety
    Safe: the fix sets `shuffle=True` on the training loader (replacing `shuffle=False`, or adding
    the argument). It changes nothing else; the batches still hold the same data, in random order
    (a loader built for every split by one comprehension then shuffles the held-out entries too,
    which changes no metric).
    There is no fix when a sampler is given (a DataLoader refuses both), when keyword arguments
    come from a `**dict`, where adding `shuffle=` could collide with a key, or when a helper builds
    every split's loader (shuffling there would reorder the test predictions too).

    ## References
    - https://pytorch.org/docs/stable/data.html#torch.utils.data.DataLoader
    - The seed document (../shared/seed/), point 3 of the second list: shuffle before splitting.
    """

    code = "FIT101"
    name = "train-loader-not-shuffled"
    severity = Severity.WARNING
    fixable = True

    VALID = [
        # a list of (start, end) bounds shuffled every epoch: the batches come in a new order
        Valid(HEADER + """
import random
X_train, y_train = torch.load("train.pt")
bounds = [(i, min(i + 64, len(X_train))) for i in range(0, len(X_train), 64)]
for epoch in range(10):
    random.shuffle(bounds)
    for start, end in bounds:
        optimizer.zero_grad()
        criterion(model(X_train[start:end]), y_train[start:end]).backward()
        optimizer.step()
"""),
        # batches cut by hand from a fresh permutation every epoch
        Valid(HEADER + """
X_train, y_train = torch.load("train.pt")
for epoch in range(10):
    perm = torch.randperm(len(X_train))
    for i in range(0, len(X_train), 64):
        idx = perm[i:i + 64]
        optimizer.zero_grad()
        criterion(model(X_train[idx]), y_train[idx]).backward()
        optimizer.step()
"""),
        Valid(HEADER + "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)\n" + TRAIN),
        # full-batch gradient descent: the one batch is every training item
        Valid(HEADER + "train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=len(X_train))\n" + TRAIN),
        # shuffle given as an expression that is true for training
        Valid(HEADER + """
def make_loader(ds, is_train):
    return DataLoader(ds, batch_size=64, shuffle=is_train)
train_loader = make_loader(train_set, True)
val_loader = make_loader(val_set, False)
""" + TRAIN),
        Valid(HEADER + """
train_sampler = None
train_loader = DataLoader(train_set, batch_size=64, shuffle=(train_sampler is None), sampler=train_sampler)
""" + TRAIN),
        # DistributedSampler shuffles; the loader must then say shuffle=False
        Valid(HEADER + """
from torch.utils.data.distributed import DistributedSampler
sampler = DistributedSampler(train_set)
train_loader = DataLoader(train_set, batch_size=64, shuffle=False, sampler=sampler)
""" + TRAIN),
        Valid(HEADER + """
from torch.utils.data import WeightedRandomSampler
sampler = WeightedRandomSampler(weights, num_samples=len(weights))
train_loader = DataLoader(train_set, batch_size=64, sampler=sampler)
""" + TRAIN),
        # validation and test loaders are not shuffled, correctly
        Valid(HEADER + """
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256, shuffle=False)
test_loader = DataLoader(test_set, batch_size=256)
""" + TRAIN),
        # keyword dicts merged with **kwargs
        Valid(HEADER + """
loader_kwargs = {"batch_size": 64, "shuffle": True, "num_workers": 2}
train_loader = DataLoader(train_set, **loader_kwargs)
""" + TRAIN),
        # keyword dict that cannot be resolved: unknown, stay silent
        Valid(HEADER + """
train_loader = DataLoader(train_set, **config.loader_args)
""" + TRAIN),
        # the keyword dict completed after it is built: `update` and an item store both set shuffle
        Valid(HEADER + """
train_kwargs = {"batch_size": 64}
cuda_kwargs = {"num_workers": 1, "pin_memory": True, "shuffle": True}
train_kwargs.update(cuda_kwargs)
train_loader = DataLoader(train_set, **train_kwargs)
""" + TRAIN),
        Valid(HEADER + """
train_kwargs = {"batch_size": 64}
train_kwargs["shuffle"] = True
train_loader = DataLoader(train_set, **train_kwargs)
""" + TRAIN),
        # shuffle=True on CUDA and on CPU alike
        Valid(HEADER + """
train_kwargs = {"batch_size": 64}
if torch.cuda.is_available():
    train_kwargs.update({"num_workers": 1, "pin_memory": True, "shuffle": True})
else:
    train_kwargs.update({"shuffle": True})
train_loader = DataLoader(train_set, **train_kwargs)
""" + TRAIN),
        # the caller chooses: `get_loader(args, shuffle=True)` shuffles
        Valid(HEADER + """
def get_loader(train_set, shuffle=True):
    train_kwargs = {"batch_size": 64}
    if shuffle:
        train_kwargs.update({"shuffle": True})
    else:
        train_kwargs.update({"shuffle": False})
    train_loader = DataLoader(train_set, **train_kwargs)
    return train_loader
train_loader = get_loader(train_set)
""" + TRAIN),
        # a language model trained with BPTT over one contiguous stream keeps its order on purpose
        Valid(HEADER + """
class LM(nn.Module):
    def __init__(self):
        super().__init__()
        self.rnn = nn.LSTM(32, 64)
train_loader = DataLoader(stream, batch_size=35, shuffle=False)
""" + TRAIN),
        # Opacus's make_private gives back a loader that draws each batch by Poisson sampling
        Valid(HEADER + """
from opacus import PrivacyEngine
train_loader = DataLoader(train_set, batch_size=256)
if use_dp:
    model, optimizer, train_loader = PrivacyEngine().make_private(
        module=model, optimizer=optimizer, data_loader=train_loader, noise_multiplier=1.0, max_grad_norm=1.0)
""" + TRAIN),
        # a loader that is only used for evaluation, named neutrally
        Valid(HEADER + """
loader = DataLoader(test_set, batch_size=64)
with torch.no_grad():
    for x, y in loader:
        model(x)
"""),
        # a Lightning validation hook over the training dataset (FIT603's business, not this rule's)
        Valid(HEADER + """
import lightning as L
class Module(L.LightningModule):
    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32, shuffle=True)
    def val_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32)
"""),
        # an IterableDataset cannot take shuffle=True
        Valid(HEADER + """
class Stream(torch.utils.data.IterableDataset):
    def __iter__(self):
        yield from range(10)
train_loader = DataLoader(Stream(), batch_size=8)
""" + TRAIN),
        # a loader that only computes the data's mean and std; the training loader is built again with shuffle=True
        Valid(STATS_THEN_TRAIN.format(training_loader="DataLoader(train_set, batch_size=128, shuffle=True)")),
        # a dataset whose __getitem__ draws its sample at random: the order it is asked in does not matter
        Valid("""
import random
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import datasets


class PairDataset(Dataset):
    def __init__(self, root, train):
        self.dataset = datasets.MNIST(root, train=train, download=True)
        self.by_class = {}
        for i, label in enumerate(self.dataset.targets.tolist()):
            self.by_class.setdefault(label, []).append(i)

    def __len__(self):
        return len(self.dataset)

    def __getitem__(self, index):
        # a random pair each time: same class for even indices, different classes for odd ones
        first_class = random.randint(0, 9)
        second_class = first_class if index % 2 == 0 else random.choice([c for c in range(10) if c != first_class])
        a = self.dataset.data[random.choice(self.by_class[first_class])].float()
        b = self.dataset.data[random.choice(self.by_class[second_class])].float()
        return a, b, torch.tensor(float(first_class == second_class))


train_loader = DataLoader(PairDataset("data", train=True), batch_size=64)
"""),

        # one epoch() helper trains when given an optimizer and evaluates otherwise: the evaluation loader is not a training loader
        Valid("""
import torch
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def epoch(model, loader, optimizer=None):
    is_train = optimizer is not None
    model.train() if is_train else model.eval()
    correct = 0
    for images, labels in loader:
        with torch.set_grad_enabled(is_train):
            logits = model(images)
        if is_train:
            optimizer.zero_grad()
            F.cross_entropy(logits, labels).backward()
            optimizer.step()
        correct += (logits.argmax(1) == labels).sum().item()
    return correct / len(loader.dataset)


tf = transforms.ToTensor()
train_loader = DataLoader(datasets.SVHN("data", split="train", transform=tf, download=True), batch_size=128, shuffle=True)
extra_loader = DataLoader(datasets.SVHN("data", split="extra", transform=tf, download=True), batch_size=512)
model = models.resnet18(num_classes=10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for _ in range(20):
    print(epoch(model, train_loader, optimizer), epoch(model, extra_loader))
"""),
    ]

    INVALID = [
        # batches cut by hand in stored order, the same every epoch
        Invalid(HEADER + """
X_train, y_train = torch.load("train.pt")
for epoch in range(10):
    for i in range(0, len(X_train), 64):
        optimizer.zero_grad()
        criterion(model(X_train[i:i + 64]), y_train[i:i + 64]).backward()  # FIT101
        optimizer.step()
"""),
        # the same through a list of (start, end) bounds made once, unpacked by the loop
        Invalid(HEADER + """
X_train, y_train = torch.load("train.pt")
bounds = [(i, min(i + 64, len(X_train))) for i in range(0, len(X_train), 64)]
for epoch in range(10):
    for start, end in bounds:
        optimizer.zero_grad()
        criterion(model(X_train[start:end]), y_train[start:end]).backward()  # FIT101
        optimizer.step()
"""),
        Invalid(HEADER + "train_loader = DataLoader(train_set, batch_size=64)  # FIT101\n" + TRAIN,
                fixed=HEADER + "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)  # FIT101\n" + TRAIN),
        Invalid(HEADER + "train_loader = DataLoader(train_set, batch_size=64, shuffle=False)  # FIT101\n" + TRAIN,
                fixed=HEADER + "train_loader = DataLoader(train_set, batch_size=64, shuffle=True)  # FIT101\n" + TRAIN),
        # shuffle=True only in the dict used on CUDA: CPU training is unshuffled
        Invalid(HEADER + """
use_cuda = torch.cuda.is_available()
kwargs = {"num_workers": 1, "pin_memory": True, "shuffle": True} if use_cuda else {}
train_loader = DataLoader(train_set, batch_size=64, **kwargs)  # FIT101
""" + TRAIN),
        # the same, the way the official MNIST example writes it: the CUDA dict merged in by `update`
        Invalid(HEADER + """
use_cuda = torch.cuda.is_available()
train_kwargs = {"batch_size": 64}
if use_cuda:
    cuda_kwargs = {"num_workers": 1, "pin_memory": True, "shuffle": True}
    train_kwargs.update(cuda_kwargs)
train_loader = DataLoader(train_set, **train_kwargs)  # FIT101
""" + TRAIN),
        # an oddly named loader that the training loop uses
        Invalid(HEADER + """
loader_a = DataLoader(TensorDataset(x, y), batch_size=32)  # FIT101
for epoch in range(5):
    for xb, yb in loader_a:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
"""),
        # a sequential sampler
        Invalid(HEADER + """
from torch.utils.data import SequentialSampler
train_loader = DataLoader(train_set, batch_size=64, sampler=SequentialSampler(train_set))  # FIT101
""" + TRAIN),
        # a Lightning training hook without shuffling
        Invalid(HEADER + """
import lightning as L
class Module(L.LightningModule):
    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32)  # FIT101
"""),
        # torchvision dataset built with train=True
        Invalid(HEADER + """
import torchvision
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True)
loader = torch.utils.data.DataLoader(trainset, batch_size=128, num_workers=2)  # FIT101
"""),
        # the loader built again for training still does not shuffle (the statistics loader is not the one reported)
        Invalid(STATS_THEN_TRAIN.format(training_loader="DataLoader(train_set, batch_size=128)  # FIT101")),
        # random augmentation in __getitem__ does not make the order random: the sample is still the one asked for
        Invalid("""
import random
import torch
from torch.utils.data import DataLoader, Dataset


class FlipDataset(Dataset):
    def __init__(self, x, y):
        self.x, self.y = x, y

    def __len__(self):
        return len(self.x)

    def __getitem__(self, i):
        image = self.x[i]
        if random.random() < 0.5:
            image = image.flip(-1)  # random augmentation, but the sample is the one asked for
        return image, self.y[i]


train_loader = DataLoader(FlipDataset(torch.load("x_train.pt"), torch.load("y_train.pt")), batch_size=32)  # FIT101
"""),
        # a random_split part is in one random order, the same every epoch: a loader over it still reshuffles nothing
        Invalid("""
import torch
from lightning.pytorch import LightningDataModule
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class MNISTData(LightningDataModule):
    def __init__(self, batch_size=32):
        super().__init__()
        full = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
        self.mnist_train, self.mnist_val = random_split(full, [55000, 5000], generator=torch.Generator().manual_seed(42))
        self.batch_size = batch_size

    def train_dataloader(self):
        return DataLoader(self.mnist_train, batch_size=self.batch_size)  # FIT101

    def val_dataloader(self):
        return DataLoader(self.mnist_val, batch_size=self.batch_size)
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        yield from self._batches_in_stored_order(script)
        loaders = dataloaders(script)
        for loader in loaders:
            if not _builds_training_loader(script, loader) or loader.shuffle.state is not ShuffleState.NO:
                continue
            if feeds_training(script, loader.obj) is False:
                continue  # every use seen and none trains: statistics, a sanity check
            if ((never_used(script, loader.obj) or peeked_once(script, loader.obj))
                    and any(trained_over(script, other.obj) for other in loaders)):
                continue  # a spare loader nothing reads (or a one-batch preview), beside the one training walks
            if resampled_at_random(script, loader.obj):
                continue  # training walks a copy that draws its batches at random (Opacus's Poisson sampling)
            if samples_at_random(script, loader.dataset, loader.obj.function):
                continue  # each sample is drawn at random: the order asked in does not matter
            if whole_dataset_batches(script, loader):
                continue  # full-batch gradient descent: one batch of every item, in any order
            if self._iterable_dataset(script, loader):
                continue
            if loader_arg(loader.call, "shuffle") is not None and _has_recurrent_layers(script):
                continue
            # a helper that builds every split's loader: `shuffle=True` there would reorder the
            # test predictions too, so the line to change is the training call (no fix)
            shared = bool(_helper_call_splits(script, loader) - {Split.TRAIN})
            yield Report(loader.call, self._message(loader), fix=None if shared else self._fix(loader))

    @staticmethod
    def _batches_in_stored_order(script: Script) -> Iterator[Report]:
        """Batches cut by hand (``for i in range(0, n, bs): X_train[i:i + bs]``) in the same stored
        order every epoch. A recurrent model may carry its hidden state from batch to batch."""
        for loop in script.loops:
            batches = batches_in_stored_order(script, loop)
            presplit = presplit_batches(script, loop) if not batches else None
            if presplit is not None and script.loop_trains(loop) and not _has_recurrent_layers(script):
                yield Report(presplit, (
                    f"the training batches are cut once, in stored order (`{short_code(presplit)}`), and every "
                    "epoch walks the same batches in the same order: on data sorted by class or time each "
                    "batch holds one class and validation accuracy can sit near chance; shuffle the list "
                    "each epoch (`random.shuffle(batches)`) or use `DataLoader(TensorDataset(X, y), "
                    "batch_size=..., shuffle=True)`"))
                continue
            generated = generator_batches_in_stored_order(script, loop) if not batches and not presplit else None
            if generated is not None and script.loop_trains(loop) and not _has_recurrent_layers(script):
                call, batch, switched_off = generated
                if switched_off:  # `iterate_minibatches(X, y, bs)` leaves its `shuffle=False` default
                    yield Report(call, (
                        f"`{short_code(call)}` leaves the generator's shuffling off, so it cuts the training batches "
                        f"in stored order (`{short_code(batch)}`), the same order every epoch: on data sorted by "
                        "class or time each batch holds one class and validation accuracy can sit near chance; "
                        "turn its shuffling on (`shuffle=True`)"))
                    continue
                yield Report(batch, (
                    f"this generator cuts the training batches in stored order (`{short_code(batch)}`) for "
                    f"`{short_code(call)}`, the same order every epoch, and nothing permutes the data: on "
                    "data sorted by class or time each batch holds one class and validation accuracy can sit "
                    "near chance; permute the indices each epoch inside the generator (`perm = "
                    "torch.randperm(len(X))`, then slice `perm`) or use `DataLoader(TensorDataset(X, y), "
                    "batch_size=..., shuffle=True)`"))
                continue
            if not batches or not script.loop_trains(loop) or _has_recurrent_layers(script):
                continue
            for batch in batches:
                if dataset_split(script, batch.value, loop.function) in HELD_OUT:
                    continue
                data = short_code(batch.value)
                yield Report(batch, (
                    f"the training batches are cut from `{data}` in stored order (`{short_code(batch)}`), the "
                    "same order every epoch, and nothing permutes it: on data sorted by class or time each "
                    "batch holds one class and validation accuracy can sit near chance; draw a permutation "
                    f"each epoch (`perm = torch.randperm(len({data}))`) and index with its slices "
                    f"(`{data}[perm[i:i + batch_size]]`)"))
                break

    @staticmethod
    def _fix(loader: Loader) -> Fix | None:
        call = loader.call
        if loader.shuffle.note or any(arg.star for arg in call.args):
            return None
        for name in ("sampler", "batch_sampler"):
            sampler = loader_arg(call, name)
            if sampler is not None and literal(sampler) is not None:
                return None
        true = cst.Name("True")
        positional = call_arg(call, 2, None)
        if positional is not None:
            fixed = call.with_changes(args=[
                arg.with_changes(value=true) if arg.value is positional else arg for arg in call.args
            ])
        else:
            fixed = with_keyword(call, "shuffle", true)
        return Fix("pass `shuffle=True`", (replace_node(call, fixed),))

    def _message(self, loader: Loader) -> str:
        reason = loader.shuffle.note or "it has neither `shuffle=True` nor a random sampler"
        sampler = loader_arg(loader.call, "sampler")
        advice = f"`shuffle=({short_code(sampler)} is None)`" if sampler is not None and "may be None" in reason \
            else "`shuffle=True`"
        return (
            f"the training DataLoader does not shuffle ({reason}): every epoch walks the data in "
            "stored order, so on data sorted by class or time each batch holds one class and "
            f"validation accuracy can sit near chance; pass {advice}"
        )

    @staticmethod
    def _iterable_dataset(script: Script, loader: Loader) -> bool:
        for bound in script.values(loader.dataset, loader.obj.function):
            if type(bound.expr) is cst.Call:
                cls = script.classes.get(script.qualname(bound.expr.func) or "")
                if cls is not None and script.class_is(cls, catalog.ITERABLE_DATASET_BASES):
                    return True
        return False


def _builds_training_loader(script: Script, loader: Loader) -> bool:
    """The training loader, or one call that builds the loader of every split, the training one
    among them (``{x: DataLoader(sets[x], batch_size=4) for x in ['train', 'val']}``): an argument
    it lacks, every entry lacks."""
    if loader.split is Split.TRAIN:
        return True
    if loader.split is not None:
        return False
    if Split.TRAIN in _helper_call_splits(script, loader):
        return True  # `def train_dataloader(self): return self._loader(self.train_ds)`
    return Split.TRAIN in {split_from_name(key) for key in script.comprehension_keys(loader.call)}


def _helper_call_splits(script: Script, loader: Loader) -> set[Split]:
    """The splits of the calls of the helper that builds this loader (see ``helper_loaders``)."""
    return {helper.split for helper in helper_loaders(script) if script.callee(helper.call) is loader.obj.function}


def _has_recurrent_layers(script: Script) -> bool:
    return any(script.qualname(site.node.func) in _RECURRENT for site in script.calls)
