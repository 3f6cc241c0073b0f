from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.analysis.regions import debug_branch, regions
from fitlint.analysis.data import Loader, dataloaders, has_sampler, helper_loaders, loader_arg, loops_over, paired_split_keywords, split_from_name
from fitlint.analysis.samples import Where, data_source, is_loader, same_samples, split_off
from fitlint.findings import HELD_OUT, Severity, Split
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, Script, assigned_names, call_arg, code_of, element_index
from fitlint.analysis.splits import random_splits_differ, words_of

HEADER = """\
import torch
import torchvision
from torch import nn, optim
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms
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

CONSEQUENCE = (
    "{what} numbers then measure memorization: they track training accuracy, so overfitting "
    "(and every mistake that shows only on held-out data) is invisible"
)
ADVICE = (
    "build it over held-out data: the test split (`train=False`), another folder, or a part carved "
    "off with `random_split` / `Subset` that the training loader does not see"
)

# A result stored under these is a score, not a new loader or dataset built from the argument.
_METRIC_WORDS = frozenset({
    "acc", "accuracy", "loss", "losses", "score", "scores", "metric", "metrics", "f1", "auc", "result",
    "results", "error", "err", "top1", "top5", "correct", "map", "iou", "miou", "dice", "perf", "stats",
    "precision", "recall", "mae", "mse", "rmse", "ppl", "perplexity", "bleu",
})


class ValidationIsTrainingData(Rule):
    """
    ## What it does
    Flags a validation or test loader built over the training data: `val_loader =
    DataLoader(train_set, ...)` where a training loader iterates `train_set`; a second copy of the
    same dataset (a torchvision dataset built twice with `train=True`, `ImageFolder('data/train')`
    twice, the same `TensorDataset(X_train, y_train)`, the project's own `DefectDataset("data/raw",
    annotations=...)` twice, also when its class is imported from a module not in view, or a class
    of the file given its transform by position, `SignaturePairs(root, eval_tf)`; the same
    folder reached through two names, `image_dir = "data/train"` or a copy-pasted `val_dir =
    os.path.join(cfg.root, "seg_train")`), whatever transforms each copy applies; a loader over the
    name bound to the training part (`train_dataset = dataset[2 * n_test:]`, PyG and Hugging Face
    datasets slice into datasets) that the training loader walks;
    Lightning's `val_dataloader` returning the training data; Keras-style
    `fit(X_train, y_train, validation_data=(X_train, y_train))`, `trainer.fit(model,
    train_dataloaders=dl, val_dataloaders=dl)`, a Hugging Face `Trainer(train_dataset=ds,
    eval_dataset=ds)` and any `...Trainer(...)` given the same data under a training and a held-out
    keyword (`train_dir=path, val_dir=path`; not shared settings such as `train_batch_size=bs,
    val_batch_size=bs`); a held-out loader with no sampler over the dataset whose indices the
    training loader's sampler picks from (`SubsetRandomSampler(train_idx)`): it walks every
    training sample; and a training loader passed to an evaluation
    whose result is stored as the validation or test score (`val_acc = evaluate(model,
    train_loader)`); a phase loop (`for phase in ['train', 'val']:`) whose batch loop walks the
    training loader in every phase.

    Two copies of the training data split one per transform (`train_subset, _ =
    random_split(trainset, ...)`, `_, val_subset = random_split(valset, ...)`) are flagged at the
    second split when the two draws give different permutations: one generator object handed to
    both (`generator=g` twice), or the global generator with no re-seeding between. The parts
    then overlap: most validation samples are training samples. So does a validation part cut
    by `random_split` or `Subset` from the data the training loader walks whole
    (`DataLoader(train_data, shuffle=True)` beside `_, val_part = random_split(train_data, ...)`),
    when the validation loader is walked in that training's epoch loop (directly or through a
    helper it calls); reported at the training loader's dataset. A final retraining on all the
    data after the model was chosen (no validation in its loop) is left alone.

    It stays silent on a validation split carved from the training data (`random_split`,
    `Subset` with other indices, `SubsetRandomSampler`s over one dataset, two copies split with
    a fresh generator of the same seed each or re-seeded before each), on datasets built with
    `train=True` and `train=False` or over different folders, and on the training loader evaluated
    on purpose to report training accuracy (`train_acc = evaluate(model, train_loader)`). A loader
    counts as validation or test by its name or by the Lightning hook that returns it.

    ## Why is this bad?
    A validation set is there to measure generalization: how the model does on samples it was not
    trained on. Evaluated on the training samples, validation accuracy tracks training accuracy
    epoch by epoch: a model that memorizes looks perfect, early stopping and best-checkpoint
    selection pick the most overfit epoch, and every mistake that only shows on held-out data (the
    ones this linter hunts: augmented test transforms, models left in training mode, label leaks)
    becomes invisible. The usual cause is copy-paste (`DataLoader(trainset, shuffle=False)` under
    the name `testloader`) or a dataset class constructed twice with the same arguments.

    ## Example
    ```python
    trainset = datasets.CIFAR10("./data", train=True, transform=train_tf)
    valset = datasets.CIFAR10("./data", train=True, transform=test_tf)  # the same 50,000 images
    trainloader = DataLoader(trainset, batch_size=128, shuffle=True)
    valloader = DataLoader(valset, batch_size=256)
    ```

    ## Use instead
    ```python
    full = datasets.CIFAR10("./data", train=True, transform=train_tf)
    trainset, valset = random_split(full, [45000, 5000])
    testset = datasets.CIFAR10("./data", train=False, transform=test_tf)
    ```

    ## References
    - https://pytorch.org/docs/stable/data.html#torch.utils.data.random_split
    - https://keras.io/api/models/model_training_apis/#fit-method (`validation_data`)
    - The seed document (../shared/seed/): validation accuracy is the signal that something is
      wrong; it has to come from data the model does not train on.
    """

    code = "FIT603"
    name = "validation-is-training-data"
    severity = Severity.ERROR

    VALID = [
        # the training loader samples its part of the folder; the validation part is the rest
        Valid(HEADER + """
from torch.utils.data import Subset, SubsetRandomSampler
folder = datasets.ImageFolder("data/train", transform=transforms.ToTensor())
order = torch.randperm(len(folder)).tolist()
train_loader = DataLoader(folder, batch_size=64, sampler=SubsetRandomSampler(order[5000:]))
val_loader = DataLoader(Subset(folder, order[:5000]), batch_size=256)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        for x, y in val_loader:
            val = model(x)
"""),
        # a validation split carved from the training data with random_split
        Valid(HEADER + """
full = datasets.MNIST("./data", train=True, transform=transforms.ToTensor())
train_set, val_set = random_split(full, [55000, 5000])
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
""" + TRAIN),
        # two copies (one per transform) split with the same permutation: a fresh generator each
        Valid(HEADER + """
train_view = datasets.CIFAR10("./data", train=True, transform=transforms.RandomCrop(32, padding=4))
eval_view = datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
train_set, _ = random_split(train_view, [45000, 5000], generator=torch.Generator().manual_seed(0))
_, val_set = random_split(eval_view, [45000, 5000], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
""" + TRAIN),
        # train=True for training, train=False for the test loader
        Valid(HEADER + """
trainset = datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
testset = datasets.CIFAR10("./data", train=False, transform=transforms.ToTensor())
train_loader = DataLoader(trainset, batch_size=128, shuffle=True)
test_loader = DataLoader(testset, batch_size=256, shuffle=False)
""" + TRAIN),
        # different folders
        Valid(HEADER + """
train_ds = datasets.ImageFolder("data/train", transform=transforms.ToTensor())
val_ds = datasets.ImageFolder("data/val", transform=transforms.ToTensor())
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=32)
""" + TRAIN),
        # one dataset, two samplers over disjoint index lists
        Valid(HEADER + """
import numpy as np
from torch.utils.data import SubsetRandomSampler
dataset = datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
indices = np.random.permutation(len(dataset))
train_loader = DataLoader(dataset, batch_size=64, sampler=SubsetRandomSampler(indices[5000:]))
val_loader = DataLoader(dataset, batch_size=64, sampler=SubsetRandomSampler(indices[:5000]))
""" + TRAIN),
        # the same folder opened twice for two transforms, then split by index
        Valid(HEADER + """
from torch.utils.data import Subset
train_view = datasets.ImageFolder("data/train", transform=transforms.RandomCrop(224))
eval_view = datasets.ImageFolder("data/train", transform=transforms.CenterCrop(224))
perm = torch.randperm(len(train_view)).tolist()
train_ds = Subset(train_view, perm[1000:])
val_ds = Subset(eval_view, perm[:1000])
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=32)
""" + TRAIN),
        # training accuracy measured on purpose on the training loader
        Valid(HEADER + """
trainset = datasets.MNIST("./data", train=True, transform=transforms.ToTensor())
train_loader = DataLoader(trainset, batch_size=64, shuffle=True)
def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        return sum((model(x).argmax(1) == y).sum().item() for x, y in loader) / len(loader.dataset)
""" + TRAIN + """
    train_acc = evaluate(model, train_loader)
"""),
        # Keras-style validation data that is held out
        Valid("""
import keras
model.fit(x_train, y_train, epochs=10, validation_data=(x_val, y_val))
model.fit(x_train, y_train, epochs=10, validation_split=0.1)
"""),
        # Lightning hooks returning different splits
        Valid("""
import lightning as L
from torch.utils.data import DataLoader, random_split
class DataModule(L.LightningDataModule):
    def setup(self, stage=None):
        self.train_ds, self.val_ds = random_split(self.full, [0.9, 0.1])
    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32, shuffle=True)
    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=32)
"""),
        # a loader over training data evaluated without a validation name: cannot tell
        Valid(HEADER + """
trainset = datasets.MNIST("./data", train=True, transform=transforms.ToTensor())
train_loader = DataLoader(trainset, batch_size=64, shuffle=True)
eval_train_loader = DataLoader(trainset, batch_size=512)
""" + TRAIN),
        # one run_epoch() trains when given an optimizer and evaluates otherwise: the validation loader is not a training loader
        Valid("""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


def run_epoch(model, loader, criterion, optimizer=None):
    training = optimizer is not None
    model.train(training)
    total = 0.0
    with torch.set_grad_enabled(training):
        for x, y in loader:
            loss = criterion(model(x), y)
            if training:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total += loss.item() * len(y)
    return total / len(loader.dataset)


full = datasets.KMNIST("data", train=True, download=True, transform=transforms.ToTensor())
train_set, val_set = random_split(full, [50000, 10000])
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=512)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05)
for epoch in range(10):
    train_loss = run_epoch(model, train_loader, criterion, optimizer)
    val_loss = run_epoch(model, val_loader, criterion)
"""),
        # a debugging run validates on the few training images it loads, on purpose
        Valid(HEADER + """
def make_loaders(batch_size, testing=False):
    if testing:
        few = torch.utils.data.TensorDataset(torch.randn(64, 3, 32, 32), torch.randint(0, 10, (64,)))
        train_loader = DataLoader(few, batch_size=batch_size, shuffle=True)
        val_loader = DataLoader(few, batch_size=batch_size)
        return train_loader, val_loader
    train_set = datasets.CIFAR10("data", train=True, transform=transforms.ToTensor())
    val_set = datasets.CIFAR10("data", train=False, transform=transforms.ToTensor())
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True),
            DataLoader(val_set, batch_size=batch_size))
"""),
    ]

    INVALID = [
        # a validation loader over the training dataset
        Invalid(HEADER + """
train_set = datasets.MNIST("./data", train=True, transform=transforms.ToTensor())
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(train_set, batch_size=256)  # FIT603
""" + TRAIN),
        # the same two copies split with one generator drawn from twice: the parts overlap
        Invalid(HEADER + """
train_view = datasets.CIFAR10("./data", train=True, transform=transforms.RandomCrop(32, padding=4))
eval_view = datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
g = torch.Generator().manual_seed(0)
train_set, _ = random_split(train_view, [45000, 5000], generator=g)
_, val_set = random_split(eval_view, [45000, 5000], generator=g)  # FIT603
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
""" + TRAIN),
        # copy-paste: the test loader over trainset
        Invalid(HEADER + """
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transforms.ToTensor())
trainloader = torch.utils.data.DataLoader(trainset, batch_size=128, shuffle=True)
testset = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=transforms.ToTensor())
testloader = torch.utils.data.DataLoader(trainset, batch_size=100, shuffle=False)  # FIT603
for epoch in range(10):
    for x, y in trainloader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""),
        # the same dataset built twice with train=True
        Invalid(HEADER + """
train_set = datasets.CIFAR10("./data", train=True, transform=transforms.RandomCrop(32, padding=4))
val_set = datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())  # FIT603
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
""" + TRAIN),
        # ImageFolder over the same root twice
        Invalid(HEADER + """
train_ds = datasets.ImageFolder("data/train", transform=transforms.RandomResizedCrop(224))
val_ds = datasets.ImageFolder("data/train", transform=transforms.CenterCrop(224))  # FIT603
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
val_loader = DataLoader(val_ds, batch_size=32)
""" + TRAIN),
        # Keras-style validation_data equal to the training arrays
        Invalid("""
import keras
model.fit(X_train, y_train, epochs=20, validation_data=(X_train, y_train))  # FIT603
"""),
        # the training loader evaluated and reported as validation
        Invalid(HEADER + """
train_set = datasets.MNIST("./data", train=True, transform=transforms.ToTensor())
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
def evaluate(model, loader):
    model.eval()
    with torch.no_grad():
        return sum((model(x).argmax(1) == y).sum().item() for x, y in loader) / len(loader.dataset)
""" + TRAIN + """
    val_acc = evaluate(model, train_loader)  # FIT603
"""),
        # Lightning: val_dataloader returns the training data
        Invalid("""
import lightning as L
from torch.utils.data import DataLoader
class DataModule(L.LightningDataModule):
    def setup(self, stage=None):
        self.train_ds = MyDataset("train.csv")
    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32, shuffle=True)
    def val_dataloader(self):
        return DataLoader(self.train_ds, batch_size=32)  # FIT603
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        loaders = dataloaders(script)
        train = [loader for loader in loaders if _role(loader) is Split.TRAIN]
        # what the training loaders walk: built directly, or by a helper (`self._loader(self.train_ds)`)
        walked = [(loader_arg(other.call, "dataset"), script.site_of(other.call)) for other in train]
        walked += [(helper.dataset, helper.call) for helper in helper_loaders(script) if helper.split is Split.TRAIN]
        for loader in loaders:
            role = _role(loader)
            if role not in HELD_OUT or has_sampler(script, loader):
                continue
            dataset = loader_arg(loader.call, "dataset")
            site = script.site_of(loader.call)
            if dataset is None or site is None or debug_branch(script, site) is not None:
                continue
            for other_dataset, other_site in walked:
                if other_site is None or other_dataset is None:
                    continue  # a sampler on the training side only: the held-out loader walks all of it
                if _returned_apart(site, other_site):
                    continue  # `if data_type == "train": return DataLoader(images, shuffle=True)`: one per call
                held_out = (dataset, site.function, site.order)
                training = (other_dataset, other_site.function, other_site.order)
                same = same_samples(script, held_out, training)
                if same:  # a second copy (`FashionMNIST(train=True)` built again) is reported where built
                    yield Report(same if same is not True else dataset, _loader_message(role, dataset, other_dataset))
                    break
                if split_off(script, held_out, training) and _in_one_epoch(script, loader, train, other_site):
                    # `val_part` cut from `train_data` while training walks all of `train_data`
                    yield Report(other_dataset, (
                        f"the training loader walks all of `{code_of(other_dataset)}`, and the {role.value} loader's "
                        f"`{code_of(dataset)}` is a part cut from the same samples: every {role.value} sample is "
                        f"trained on, so {CONSEQUENCE.format(what=role.value)}; train on the other part of the split"))
                    break
                redrawn = _redrawn_split(script, held_out, training)
                if redrawn is not None:
                    yield Report(redrawn, _redrawn_message(role, dataset, other_dataset, redrawn))
                    break
        yield from _helper_loader_calls(script, walked)
        yield from _fit_calls(script)
        yield from _evaluations(script, train)
        for region, source in regions(script).phase_shared_sources:
            yield Report(source, f"the {region.split} phase of this phase loop walks `{code_of(source)}` too, the "
                         f"data the training phase trains on: {CONSEQUENCE.format(what=region.split)}; walk each "
                         "phase's own loader (`dataloaders[phase]`), built over held-out data for the held-out phase")


def _in_one_epoch(script: Script, held_out: Loader, train: list[Loader], site) -> bool:
    """The held-out loader is walked in the epoch loop that trains over the loader built at
    ``site``, with no sampler (not a final retraining on all the data after the model was
    chosen, nor a loader that samples a part of its dataset)."""
    training = next((loader for loader in train if script.site_of(loader.call) is site), None)
    if training is None or has_sampler(script, training):
        return False  # a sampler (`SubsetRandomSampler(train_idx)`) walks a part, not the whole
    epochs = {id(outer) for loop in loops_over(script, training.obj) for outer in _outer_loops(script, loop)}
    return any(id(outer) in epochs for loop in loops_over(script, held_out.obj) for outer in _outer_loops(script, loop))


def _outer_loops(script: Script, loop):
    """The loops around ``loop``, and around the calls of the function it is in (one level:
    ``evaluate(model, val_loader)`` called in the epoch loop)."""
    starts = [loop.parent] + [site.loop for site in script.call_sites_of(loop.function)]
    for outer in starts:
        while outer is not None:
            yield outer
            outer = outer.parent


def _helper_loader_calls(script: Script, training: list) -> Iterator[Report]:
    """``val_loader = make_loader(train_set, train=False)``: a held-out loader a helper builds over
    the dataset a training loader (built directly or by the same helper) walks."""
    for helper in helper_loaders(script):
        if helper.split not in HELD_OUT:
            continue
        for dataset, site in training:
            if dataset is None or site is None or site is helper.call:
                continue
            same = same_samples(script, (helper.dataset, helper.call.function, helper.call.order),
                                (dataset, site.function, site.order))
            if same:
                yield Report(same if same is not True else helper.dataset,
                             _loader_message(helper.split, helper.dataset, dataset))
                break


def _returned_apart(site: CallSite, other: CallSite) -> bool:
    """Two loaders a helper returns from two ``return`` statements: each call builds one of them,
    over what that call's arguments chose (``ImageFolder(os.path.join(root, data_type))``)."""
    function = site.function
    if other.function is not function or function.is_module:
        return False
    returned = {id(expr) for expr in function.returns}
    return id(site.node) in returned and id(other.node) in returned and site.statement is not other.statement


def _loader_message(role: Split, dataset: cst.BaseExpression, other: cst.BaseExpression) -> str:
    what = role.value
    text, other_text = code_of(dataset), code_of(other)
    same = f"`{text}`" if text == other_text else f"`{text}` (the same samples as the training loader's `{other_text}`)"
    return f"the {what} loader iterates the training data {same}: {CONSEQUENCE.format(what=what)}; {ADVICE}"


def _redrawn_message(role: Split, dataset: cst.BaseExpression, other: cst.BaseExpression, call: cst.Call) -> str:
    generator = call_arg(call, None, "generator")
    drawn = f"the generator `{code_of(generator)}`" if generator is not None else "the global generator"
    return (
        f"the {role.value} part `{code_of(dataset)}` and the training part `{code_of(other)}` come from two "
        f"`random_split`s of the same data that draw different permutations ({drawn} is drawn from "
        f"again): most {role.value} samples are also training samples, and {CONSEQUENCE.format(what=role.value)}; "
        "give each split a fresh generator with the same seed (`generator=torch.Generator().manual_seed(42)`), "
        "or draw the indices once and build both parts with `Subset`"
    )


# roles ---------------------------------------------------------------------------------------
def _role(loader: Loader) -> Split | None:
    """The split a loop over the loader that trains, the Lightning hook that builds it, or the
    names it is bound to say (a name that says both gives none); the dataset's own split is what
    this rule questions, so it does not count."""
    return loader.split if loader.split_evidence != "dataset" else None


def _redrawn_split(script: Script, a: Where, b: Where) -> cst.Call | None:
    """The later of two ``random_split`` calls the two expressions are parts of, when both split
    the same data (one dataset, or one built twice for two transforms) with the same lengths but
    draw different permutations: the parts overlap whichever index each takes."""
    left, right = data_source(script, *a), data_source(script, *b)
    if left is None or right is None or left[0][0] != "element" or right[0][0] != "element":
        return None
    calls = [element_index(source[1])[0] for source in (left, right)]
    if any(type(call) is not cst.Call for call in calls) or not random_splits_differ(script, *calls):
        return None
    sites = [script.site_of(call) for call in calls]
    datasets = [call_arg(call, 0, "dataset") for call in calls]
    if any(dataset is None for dataset in datasets) or not same_samples(
            script, (datasets[0], sites[0].function, sites[0].order), (datasets[1], sites[1].function, sites[1].order)):
        return None
    return max(zip(sites, calls), key=lambda pair: pair[0].order)[1]


# Keras-style and Lightning fit ---------------------------------------------------------------
def _fit_calls(script: Script) -> Iterator[Report]:
    for site in script.calls:
        call = site.node
        where = (site.function, site.order)
        if site.method != "fit":
            # `Trainer(train_dataset=ds, eval_dataset=ds)` (Hugging Face and its kin), a project's
            # `Trainer(train_dir=path, val_dir=path)`
            if not (site.name or "").endswith("Trainer"):
                continue
            for keyword, held, train_set in paired_split_keywords(call):
                if same_samples(script, (held, *where), (train_set, *where)):
                    yield Report(held, _fit_message(keyword, held))
            continue
        validation = call_arg(call, None, "validation_data")
        if validation is not None:
            train = [call_arg(call, 0, "x"), call_arg(call, 1, "y")]
            held = list(validation.elements) if type(validation) is cst.Tuple else None
            parts = [element.value for element in held] if held is not None else [validation]
            train = train[:len(parts)]
            if train and all(part is not None for part in train) and all(
                same_samples(script, (part, *where), (value, *where)) for part, value in zip(parts, train)
            ):
                yield Report(validation, _fit_message("validation_data", validation))
            continue
        val = call_arg(call, None, "val_dataloaders")
        train_loader = call_arg(call, None, "train_dataloaders") or call_arg(call, 1, None)
        if val is not None and train_loader is not None and same_samples(script, (val, *where), (train_loader, *where)):
            yield Report(val, _fit_message("val_dataloaders", val))


def _fit_message(keyword: str, value: cst.BaseExpression) -> str:
    return (f"`{keyword}={code_of(value)}` is the data the model is fitted on: {CONSEQUENCE.format(what='validation')}; "
            f"pass held-out data (or carve a part off before fitting)")


# the training loader evaluated as validation -------------------------------------------------
def _evaluations(script: Script, train: list[Loader]) -> Iterator[Report]:
    if not train:
        return
    train_calls = {id(loader.call) for loader in train}
    for site in script.calls:
        if is_loader(script, site.node) or site.method == "fit":
            continue
        role = _result_role(site)
        if role not in HELD_OUT:
            continue
        for arg in site.node.args:
            if arg.keyword is not None or arg.star:
                continue
            source = data_source(script, arg.value, site.function, site.order)
            if source is not None and source[0][0] == "call" and source[0][1] in train_calls:
                what = role.value
                yield Report(arg.value, (
                    f"the training loader `{code_of(arg.value)}` is evaluated and the result stored as the "
                    f"{what} score: {CONSEQUENCE.format(what=what)}; evaluate the {what} loader here (or name the result "
                    f"`train_...` if training accuracy is what you want)"))
                break


def _result_role(site: CallSite) -> Split | str | None:
    """The split the names a call's result is stored in say (`val_loss, val_acc = ...`: validation)."""
    statement = site.statement
    if not (type(statement) is cst.SimpleStatementLine and len(statement.body) == 1
            and type(statement.body[0]) is cst.Assign and statement.body[0].value is site.node):
        return None
    names = assigned_names(statement)
    roles = {split_from_name(name) for name in names} - {None}
    metric = any(words_of(name.rsplit(".", 1)[-1]) & _METRIC_WORDS for name in names)
    return roles.pop() if len(roles) == 1 and metric else None
