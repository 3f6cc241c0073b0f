from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.analysis.data import dataloaders, dataset_helper, names_bound_to, split_from_name
from fitlint.analysis.transforms import (
    TRANSFORM_KEYWORDS, TRANSFORM_POSITION, Augmenting, augmented_source, augmenting_class, dataset_role, held_out_run,
    flag_chosen, is_tta, names_training, names_transform, random_transform, split_items, transform_arg,
)
from fitlint.findings import HELD_OUT, Severity
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import (
    CallSite, Script, call_arg, dotted, element_index, memoized, short_code, under_if, unpacked_from,
)
from fitlint.analysis.catalog import ObjKind

HEADER = """\
import torch
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader, Subset, random_split
from torchvision import datasets
"""

_SPLITTERS = frozenset({"torch.utils.data.random_split", "torch.utils.data.dataset.random_split",
                        "torch.utils.data.Subset", "torch.utils.data.dataset.Subset"})
_PREFILTER = re.compile(r"Random|Jitter|[Aa]ugment|AugMix|Blur|Flip|Rotat|Affine|Erasing|Noise|Dropout|Rand[A-Z]|Masking|Stretch|Shift")
# Self-supervised pipelines evaluate their contrastive loss on augmented views on purpose.
_SELF_SUPERVISED = ("simclr", "byol", "moco", "contrastive", "n_views", "ntxent", "nt_xent", "supcon", "swav")

CONSEQUENCE = (
    "{what} accuracy is then measured on randomly distorted images: lower and noisier than the "
    "model's real accuracy and different on every run, so model selection and early stopping chase noise"
)
ADVICE = "give it a deterministic evaluation transform (Resize / CenterCrop, ToTensor, Normalize)"
CHOSEN_ADVICE = "pass the argument that makes the helper return its evaluation pipeline (no random steps)"


class AugmentationInEvalTransform(Rule):
    """
    ## What it does
    Flags random augmentation (RandomCrop, RandomHorizontalFlip, RandomResizedCrop, ColorJitter,
    RandomRotation, RandomAffine, RandomErasing, GaussianBlur, AutoAugment / RandAugment /
    TrivialAugmentWide / AugMix, their `transforms.v2` twins, albumentations' `HorizontalFlip`,
    `ShiftScaleRotate`, ..., kornia's `Random*`, torchaudio's `FrequencyMasking` / `TimeMasking`
    and audiomentations) in the transform of a validation or test dataset:

    - a validation / test dataset built with an augmenting transform (`CIFAR10(train=False,
      transform=transform_train)`, `ImageFolder("data/val", transform=train_tf)`), including one
      transform object shared by the training and the test datasets;
    - a validation subset split off an augmented training dataset (`random_split(full, ...)`,
      `Subset(full, val_idx)`) and loaded as it is: a subset shares the underlying dataset, and with
      it the training transform (also when `full` is a `ConcatDataset` of folders, or `a + b`, whose
      members all augment);
    - an augmenting transform set last through a subset's `.dataset` (`val_set.dataset.transform =
      val_tf; train_set.dataset.transform = train_tf` after `random_split`): both subsets are views
      of one dataset, so the last assignment sets the validation subset's transform too;
    - a dataset class of the file whose `__getitem__` augments every item under no condition (a
      random op built in `__init__`, `self.aug = T.Compose([T.RandomResizedCrop(224), ...])`, or
      inline, the audio tutorials' `torchaudio.transforms.FrequencyMasking(...)(spec)` in a helper
      it calls, also a static method of a helper class, `AudioUtil.spectro_augment(spec)`), when a
      validation / test dataset is built from it or split off one. This one is reported where the
      augmentation is written, the line to change: the augmenting call in `__getitem__`, or for
      `self.aug(image)` the value `__init__` sets `self.aug` to.

    The transform is the `transform=` argument (or `transforms=`, `tfms=`, `aug=`, or a keyword built
    on the word such as `transforms_object=`, not `target_transform=`), a torchvision
    dataset's positional one, or the argument a dataset class of the file takes for its `transform`
    / `transforms` parameter by position (`Dataset_from_csv(path, df, folder, tsfm)`), or the one
    argument that is a transform pipeline, given by position to a dataset class from a module out of
    view (`PennFudanDataset(root, T.Compose([...]))`). A helper of the file that builds the
    transform (`get_transform(train=False)`) augments when every value it may return for the
    call's arguments does: a literal flag the call passes, or leaves at its default, decides the
    `if` tests on it (`get_transforms(data="train")` for the validation dataset returns the
    `if data == "train":` pipeline, reported at the call); a list it
    fills with `append` holds the items appended whatever the call (one appended under `if train:`
    is not). A project's own `transforms` module (the copy of torchvision's detection references
    imported as `import transforms as T`) means what torchvision's names mean: `T.Random*` augments;
    a transform class of the file augments when its `__call__` draws a random number
    (`random.random()`, `np.random.uniform(...)`). The held-out item of a per-split dict of
    transforms handed to the datasets one comprehension builds (`{x: ImageFolder(os.path.join(d, x),
    data_transforms[x]) for x in ["train", "val"]}`) is checked like any transform.

    A dataset counts as validation / test by `train=False`, `split="val"/"test"`, a path such as
    `"data/val"`, the names it is bound to, or the loaders over it; any sign that it is used for
    training silences the rule. It stays silent when the transform cannot be told for sure: a
    transform chosen by a condition (`transform_train if train else transform_test`), a name bound
    to several transforms, a custom transform class that draws nothing, test-time augmentation (a transform named
    `tta...` / `test_time...`, or transforms looped over and averaged), a flip with `p=1`, and a
    validation subset that gets its own transform before use (`val_set.dataset =
    copy.deepcopy(full); val_set.dataset.transform = test_tf`, a wrapper applying `test_tf`, or a
    `Subset` over a second dataset object built with the evaluation transform), and self-supervised
    pipelines (SimCLR, BYOL, MoCo, contrastive losses), whose validation loss needs augmented views.

    ## Why is this bad?
    Augmentation is a training device: it shows the model a different random view of each image
    every epoch. On validation or test data it measures the model on randomly cropped, flipped and
    recoloured images instead of the real ones: the numbers come out lower than the model's real
    accuracy, vary from run to run and epoch to epoch for the same weights, and the best
    checkpoint, early stopping and learning-rate plateaus are decided on that noise. A transform
    object shared by both datasets is the usual cause; a `random_split` of an augmented dataset is
    the subtle one (the subsets are views of one dataset object with one transform).

    ## Example
    ```python
    transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])
    trainset = datasets.CIFAR10("./data", train=True, transform=transform)
    testset = datasets.CIFAR10("./data", train=False, transform=transform)
    ```

    ## Use instead
    ```python
    transform_train = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])
    transform_test = T.Compose([T.ToTensor()])
    trainset = datasets.CIFAR10("./data", train=True, transform=transform_train)
    testset = datasets.CIFAR10("./data", train=False, transform=transform_test)
    ```
    For a validation split of one folder, build two dataset objects over it, one per transform,
    and split the indices: `Subset(ImageFolder(root, transform=train_tf), train_idx)`,
    `Subset(ImageFolder(root, transform=test_tf), val_idx)`.

    ## References
    - https://pytorch.org/vision/stable/transforms.html
    - https://pytorch.org/docs/stable/data.html#torch.utils.data.random_split
    - https://discuss.pytorch.org/t/changing-transformation-applied-to-data-during-training/15671
    """

    code = "FIT402"
    name = "augmentation-in-eval-transform"
    severity = Severity.WARNING

    VALID = [
        # the subsets' shared transform set through `.dataset`: the evaluation one last (training
        # then runs unaugmented: another mistake, not this rule's), each subset given its own copy
        # of the dataset first, and the two set in the branches of an `if`
        Valid(HEADER + """
import copy
train_tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor()])
val_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
full = datasets.ImageFolder("data/flowers")
train_set, val_set = random_split(full, [0.8, 0.2])
train_set.dataset.transform = train_tf
val_set.dataset.transform = val_tf
a_train, a_val = random_split(full, [0.8, 0.2])
a_val.dataset = copy.deepcopy(full)
a_val.dataset.transform = val_tf
a_train.dataset.transform = train_tf
b_train, b_val = random_split(full, [0.8, 0.2])
if evaluate_only:
    b_val.dataset.transform = val_tf
else:
    b_train.dataset.transform = train_tf
loaders = [DataLoader(d, batch_size=32) for d in (train_set, val_set, a_train, a_val, b_train, b_val)]
"""),
        # augmentation only in the training transform (the seed's CIFAR script)
        Valid(HEADER + """
transform_train = T.Compose([
    T.RandomCrop(32, padding=4),
    T.RandomHorizontalFlip(),
    T.ToTensor(),
    T.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
])
transform_test = T.Compose([
    T.ToTensor(),
    T.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
])
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform_train)
testset = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=transform_test)
trainloader = DataLoader(trainset, batch_size=128, shuffle=True)
testloader = DataLoader(testset, batch_size=100, shuffle=False)
"""),
        # deterministic evaluation transform: Resize, CenterCrop, ToTensor, Normalize
        Valid(HEADER + """
train_tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor()])
val_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = datasets.ImageFolder("data/train", transform=train_tf)
val_ds = datasets.ImageFolder("data/val", transform=val_tf)
"""),
        # a dataset factory choosing the transform by split
        Valid(HEADER + """
transform_train = T.Compose([T.RandomCrop(32, padding=4), T.ToTensor()])
transform_test = T.Compose([T.ToTensor()])

def get_dataset(train):
    return datasets.CIFAR10("./data", train=train, transform=transform_train if train else transform_test)

trainset = get_dataset(True)
testset = get_dataset(False)
"""),
        # test-time augmentation on purpose: predictions averaged over flipped views
        Valid(HEADER + """
tta_transform = T.Compose([T.RandomHorizontalFlip(), T.ToTensor()])
test_ds = datasets.ImageFolder("data/test", transform=tta_transform)
test_loader = DataLoader(test_ds, batch_size=64)
"""),
        # TTA: a loop over deterministic views, one dataset per view
        Valid(HEADER + """
views = [T.Compose([T.ToTensor()]), T.Compose([T.RandomHorizontalFlip(p=1.0), T.ToTensor()])]
probs = 0
for view in views:
    test_ds = datasets.ImageFolder("data/test", transform=view)
    probs = probs + predict(model, DataLoader(test_ds, batch_size=64))
"""),
        # a deliberate flip (p=1) is deterministic
        Valid(HEADER + """
flipped = T.Compose([T.RandomHorizontalFlip(p=1.0), T.ToTensor()])
val_ds = datasets.ImageFolder("data/val", transform=flipped)
"""),
        # a custom transform class with a random crop, used only for training
        Valid(HEADER + """
import random

class PairRandomCrop:
    def __call__(self, image):
        i = random.randint(0, 8)
        return image[:, i:i + 24, i:i + 24]

train_ds = datasets.ImageFolder("data/train", transform=T.Compose([PairRandomCrop(), T.ToTensor()]))
val_ds = datasets.ImageFolder("data/val", transform=T.Compose([T.CenterCrop(24), T.ToTensor()]))
"""),
        # the validation subset gets the evaluation transform before use (deepcopy and reassign)
        Valid(HEADER + """
import copy
train_tf = T.Compose([T.RandomResizedCrop(224), T.ToTensor()])
test_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
full = datasets.ImageFolder("data/images", transform=train_tf)
train_set, val_set = random_split(full, [9000, 1000])
val_set.dataset = copy.deepcopy(full)
val_set.dataset.transform = test_tf
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
"""),
        # a wrapper dataset applies the evaluation transform to the validation subset
        Valid(HEADER + """
train_tf = T.Compose([T.RandomResizedCrop(224), T.ToTensor()])
test_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
full = datasets.ImageFolder("data/images")
train_set, val_set = random_split(full, [9000, 1000])
train_loader = DataLoader(TransformedSubset(train_set, train_tf), batch_size=64, shuffle=True)
val_loader = DataLoader(TransformedSubset(val_set, test_tf), batch_size=64)
"""),
        # the validation indices over a second dataset object built with the evaluation transform
        Valid(HEADER + """
train_tf = T.Compose([T.RandomResizedCrop(224), T.ToTensor()])
test_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
indices = torch.randperm(10000).tolist()
train_set = Subset(datasets.ImageFolder("data/images", transform=train_tf), indices[1000:])
val_set = Subset(datasets.ImageFolder("data/images", transform=test_tf), indices[:1000])
"""),
        # ColorJitter with no arguments is the identity; GaussianBlur with a fixed sigma is deterministic
        Valid(HEADER + """
eval_tf = T.Compose([T.ColorJitter(), T.GaussianBlur(3, sigma=1.0), T.ToTensor()])
testset = datasets.CIFAR10("./data", train=False, transform=eval_tf)
"""),
        # self-supervised pretraining: the contrastive validation loss needs augmented views
        Valid(HEADER + """
contrast_transforms = T.Compose([
    T.RandomResizedCrop(96), T.RandomHorizontalFlip(), T.ColorJitter(0.5, 0.5, 0.5, 0.1), T.ToTensor(),
])
train_data_contrast = datasets.STL10("data", split="unlabeled", transform=contrast_transforms)
val_data_contrast = datasets.STL10("data", split="test", transform=contrast_transforms)
simclr_model = SimCLR(hidden_dim=128, lr=5e-4, temperature=0.07)
"""),
        # the per-split dict of the transfer-learning tutorial
        Valid(HEADER + """
import os
data_transforms = {
    "train": T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor()]),
    "val": T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()]),
}
image_datasets = {x: datasets.ImageFolder(os.path.join("data", x), data_transforms[x]) for x in ["train", "val"]}
"""),
    ]

    INVALID = [
        # the two subsets of a random_split are views of one dataset: the training transform,
        # set last through `.dataset`, is the validation subset's too
        Invalid(HEADER + """
train_tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor()])
val_tf = T.Compose([T.Resize(256), T.CenterCrop(224), T.ToTensor()])
full = datasets.ImageFolder("data/flowers")
n_val = len(full) // 5
train_set, val_set = random_split(full, [len(full) - n_val, n_val])
val_set.dataset.transform = val_tf
train_set.dataset.transform = train_tf  # FIT402
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
"""),
        # a pipeline built for evaluation that flips at random: the flip is the line to change
        Invalid(HEADER + """
from torchvision.transforms import v2


def make_transforms(size):
    train = v2.Compose([v2.RandomResizedCrop(size), v2.RandomHorizontalFlip(), v2.ToImage()])
    test = v2.Compose([v2.Resize((size, size)),
                       v2.RandomHorizontalFlip(),  # FIT402
                       v2.ToImage()])
    return train, test


train_tf, test_tf = make_transforms(224)
train_ds = datasets.OxfordIIITPet("data", split="trainval", transform=train_tf)
test_ds = datasets.OxfordIIITPet("data", split="test", transform=test_tf)
"""),
        # the training transform passed to the test set
        Invalid(HEADER + """
transform_train = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])
transform_test = T.Compose([T.ToTensor()])
trainset = datasets.CIFAR10("./data", train=True, download=True, transform=transform_train)
testset = datasets.CIFAR10("./data", train=False, download=True, transform=transform_train)  # FIT402
"""),
        # one transform object shared by the training and test datasets
        Invalid(HEADER + """
transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])
trainset = datasets.CIFAR10("./data", train=True, transform=transform)
testset = datasets.CIFAR10("./data", train=False, transform=transform)  # FIT402
"""),
        # a validation folder with the training transform (v2 API)
        Invalid(HEADER + """
from torchvision.transforms import v2
train_transform = v2.Compose([v2.RandomResizedCrop(224), v2.ColorJitter(0.4, 0.4, 0.4), v2.ToImage()])
val_ds = datasets.ImageFolder("data/val", transform=train_transform)  # FIT402
val_loader = DataLoader(val_ds, batch_size=64)
"""),
        # a validation subset split off an augmented training dataset
        Invalid(HEADER + """
train_tf = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ToTensor()])
full = datasets.ImageFolder("data/images", transform=train_tf)
train_set, val_set = random_split(full, [9000, 1000])  # FIT402
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)
"""),
        # Subset of the augmented training dataset used for validation
        Invalid(HEADER + """
train_tf = T.Compose([T.RandomCrop(32, padding=4), T.ToTensor()])
trainset = datasets.CIFAR10("./data", train=True, transform=train_tf)
perm = torch.randperm(len(trainset)).tolist()
val_subset = Subset(trainset, perm[:5000])  # FIT402
val_loader = DataLoader(val_subset, batch_size=256)
"""),
        # albumentations in a custom dataset's test transform
        Invalid("""
import albumentations as A
from albumentations.pytorch import ToTensorV2
from torch.utils.data import Dataset, DataLoader

class LeafDataset(Dataset):
    def __init__(self, paths, labels, transform=None):
        self.paths, self.labels, self.transform = paths, labels, transform
    def __len__(self):
        return len(self.paths)
    def __getitem__(self, i):
        return self.transform(image=load(self.paths[i]))["image"], self.labels[i]

aug = A.Compose([A.RandomResizedCrop(256, 256), A.HorizontalFlip(p=0.5), A.Normalize(), ToTensorV2()])
train_ds = LeafDataset(train_paths, train_labels, transform=aug)
test_ds = LeafDataset(test_paths, test_labels, transform=aug)  # FIT402
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        if not _PREFILTER.search(script.source):
            return
        lowered = script.lowered
        if any(word in lowered for word in _SELF_SUPERVISED):
            return
        yield from _augmented_eval_datasets(script)
        yield from _augmented_eval_subsets(script)
        yield from _augmenting_eval_instances(script)
        yield from _augmented_sampled_loaders(script)
        yield from _shared_transform_set_last(script)


def _is_dataset_call(script: Script, site: CallSite) -> bool:
    call = site.node
    if type(call.func) is cst.Subscript:  # dict_datasets[args.dataset](root, train=False, ...)
        return True
    qualname = script.qualname(call.func) or ""
    if script.is_imported(call.func):
        last = qualname.rsplit(".", 1)[-1]
        return catalog.kind_of(qualname) is ObjKind.DATASET or last.lower().endswith(("dataset", "folder"))
    cls = script.classes.get(qualname)
    if cls is None:
        return dataset_helper(script, call) is not None  # `make_dataset(root, "val", tfm)`
    return script.class_is(cls, catalog.DATASET_BASES) or cls.name.lower().endswith("dataset")


def _augmented_eval_datasets(script: Script) -> Iterator[Report]:
    candidates = []
    for site in script.calls:
        call = site.node
        if not call.args or not (site.method in TRANSFORM_POSITION or site.name in script.classes or any(
                arg.keyword is not None and arg.keyword.value in TRANSFORM_KEYWORDS for arg in call.args)
                or any(names_transform(dotted(arg.value) or "") for arg in call.args if arg.keyword is None)
                or (site.name or "")[:1].isupper() and script.is_imported(call.func)):  # a class out of view
            continue
        transform = transform_arg(script, call)
        if transform is None or not _is_dataset_call(script, site):
            continue
        candidates.append((site, transform))
    reported: set[int] = set()
    yield from _augmented_split_items(script, candidates, reported)
    for site, transform in candidates:
        augmentation = random_transform(script, transform, site.function)
        if augmentation is None:
            continue
        role = dataset_role(script, site.node, site.function) or held_out_run(script, site.node, transform)
        if role not in HELD_OUT or is_tta(script, transform, site.function):
            continue
        what = role.value
        chosen = flag_chosen(script, transform)
        shared = None if chosen else _shared_with(script, site, transform, candidates)
        also = f", the same transform object as the training dataset {shared}" if shared else ""
        # the line to change: the random step of a pipeline built for evaluation; the transform
        # argument when the dataset is given the training pipeline (shared, named for training, or
        # chosen by a helper's flag: `get_transforms(train=True)`)
        training = shared is not None or chosen or names_training(transform)
        step = None if training else script.site_of(augmentation)
        anchor, statement = (augmentation, step.statement) if step is not None else (transform, site.statement)
        if id(anchor) in reported:
            continue
        reported.add(id(anchor))
        yield Report(anchor, (
            f"the {what} dataset {_label(script, site)} is built with `{short_code(transform)}`, which applies random "
            f"augmentation (`{short_code(augmentation.func)}`){also}: {CONSEQUENCE.format(what=what)}; "
            f"{CHOSEN_ADVICE if chosen else ADVICE}"), statement=statement)


def _augmented_split_items(script: Script, candidates, reported: set[int]) -> Iterator[Report]:
    """The held-out item of a per-split dict of transforms (`data_transforms["val"]`) handed to
    the dataset built for each split in one comprehension, when it augments at random."""
    for site, transform in candidates:
        for key, item in split_items(script, site, transform):
            augmentation = random_transform(script, item, site.function)
            role = split_from_name(key)
            if augmentation is None or role not in HELD_OUT or id(augmentation) in reported:
                continue
            reported.add(id(augmentation))
            anchor = item if names_training(item) else augmentation  # `'val': get_train_transform()`
            yield Report(anchor, (
                f"`{short_code(transform.value)}[{key!r}]`, the transform the {role.value} dataset is built with, "
                f"applies random augmentation (`{short_code(augmentation.func)}`): "
                f"{CONSEQUENCE.format(what=role.value)}; {ADVICE}"), statement=script.site_of(augmentation).statement
                if anchor is augmentation else None)


def _shared_with(script: Script, site: CallSite, transform: cst.BaseExpression, candidates) -> str | None:
    """The training dataset built with the same transform object, for the message."""
    mine = {id(bound.expr) for bound in script.values(transform, site.function)}
    for other, other_transform in candidates:
        if other is site or dataset_role(script, other.node, other.function) is not None:
            continue
        if any(id(bound.expr) in mine for bound in script.values(other_transform, other.function)):
            return _label(script, other)
    return None


def _label(script: Script, site: CallSite) -> str:
    names = names_bound_to(script, site.node)
    return f"`{names[0]}`" if names else f"`{short_code(site.node.func)}(...)`"


# subsets -----------------------------------------------------------------------------------------
def _augmented_eval_subsets(script: Script) -> Iterator[Report]:
    reported: set[int] = set()
    for site in script.calls:
        if site.method not in ("random_split", "Subset") or script.qualname(site.node.func) not in _SPLITTERS:
            continue
        source = call_arg(site.node, 0, "dataset")
        if source is None:
            continue
        augmentation = augmented_source(script, source, site)
        if augmentation is None:
            continue
        names = names_bound_to(script, site.node) if site.method == "Subset" else script.unpacked_names(site.node)
        for name in names:
            role = split_from_name(name)
            if role not in HELD_OUT or not _loaded_as_is(script, name, site):
                continue
            what = role.value
            if augmentation.per_item:  # a dataset class that augments every item itself: fixed there
                yield from _per_item(augmentation, what, (
                    f"the {what} subset `{name}` is split off `{short_code(source)}`, so it shares its dataset's "
                    "items"), _CLASS_ADVICE.format(what=what), reported)
                break
            yield Report(site.node, (
                f"`{name}` is split off `{short_code(source)}`, whose {augmentation.applier} applies random "
                f"augmentation (`{short_code(augmentation.call.func)}`); a subset shares its dataset's transform: "
                f"{_consequence(augmentation, what)}; build the {what} subset over a second dataset object with "
                f"the evaluation transform (`Subset(ImageFolder(root, transform=test_tf), val_idx)`)"),
                statement=site.statement)
            break


_CLASS_ADVICE = ("apply the augmentation only when the dataset is built for training (a flag such as "
                 "`augment=True`), and build the {what} subset over a second dataset object without it")


def _consequence(augmentation: Augmenting, what: str) -> str:
    text = CONSEQUENCE.format(what=what)
    return text.replace("distorted images", "distorted inputs") if augmentation.per_item else text


def _augmenting_eval_instances(script: Script) -> Iterator[Report]:
    """``val_ds = SoundDS(val_df)`` of a dataset class whose ``__getitem__`` augments every item:
    the held-out dataset gets the training augmentation, whatever it is built from. Reported at the
    call of ``__getitem__`` that augments: the line to change."""
    reported: set[int] = set()
    for site in script.calls:
        if not site.node.args or not _is_dataset_call(script, site) or transform_arg(script, site.node) is not None:
            continue
        augmenting = augmenting_class(script, site.node)
        if augmenting is None:
            continue
        role = dataset_role(script, site.node, site.function)
        if role not in HELD_OUT:
            continue
        what = role.value
        yield from _per_item(augmenting, what, f"the {what} dataset {_label(script, site)} is built from its class",
                             _CLASS_ADVICE.format(what=what).replace(" subset over a second dataset object", " dataset"),
                             reported)


def _per_item(augmenting: Augmenting, what: str, held: str, advice: str, reported: set[int]) -> Iterator[Report]:
    """The finding for a dataset class that augments every item, once per class, where its
    augmentation is written (``Augmenting.item_call``); ``held`` says how the held-out data gets it."""
    if id(augmenting.item_call) not in reported:
        reported.add(id(augmenting.item_call))
        yield Report(augmenting.item_call, (
            f"{augmenting.applier} applies random augmentation (`{short_code(augmenting.call.func)}`) to every item, "
            f"and {held}: {_consequence(augmenting, what)}; {advice}"))


def _augmented_sampled_loaders(script: Script) -> Iterator[Report]:
    """``validloader = DataLoader(train_data, sampler=SubsetRandomSampler(valid_idx))`` (the
    ``valid_size = 0.2`` template): the held-out indices are drawn from the training dataset
    object, and with them its augmenting transform."""
    for loader in dataloaders(script):
        if loader.split not in HELD_OUT or loader.dataset is None:
            continue
        sampler = call_arg(loader.call, None, "sampler")
        if sampler is None or not any(
                type(bound.expr) is cst.Call and (script.qualname(bound.expr.func) or "").endswith("SubsetRandomSampler")
                for bound in script.values(sampler, loader.obj.function)):
            continue
        augmentation = augmented_source(script, loader.dataset, script.site_of(loader.call))
        if augmentation is None:
            continue
        what = loader.split.value
        site = script.site_of(loader.call)
        yield Report(loader.call, (
            f"{_label(script, site)} samples the {what} indices from `{short_code(loader.dataset)}` "
            f"(`sampler={short_code(sampler)}`), whose {augmentation.applier} applies random augmentation "
            f"(`{short_code(augmentation.call.func)}`): the {what} items get the training augmentation: "
            f"{_consequence(augmentation, what)}; load the {what} indices from a second dataset object built with the "
            f"evaluation transform (`DataLoader(Dataset(..., transform=test_tf), sampler={short_code(sampler)})`)"),
            statement=site.statement)


def _shared_transform_set_last(script: Script) -> Iterator[Report]:
    """``train_set, val_set = random_split(full, ...)`` then ``val_set.dataset.transform = val_tf;
    train_set.dataset.transform = train_tf``: both subsets are views of ``full``, so each assignment
    sets the one transform they share, and the last one, augmenting, is the validation subset's too."""
    for site in script.calls:
        if site.method != "random_split" or script.qualname(site.node.func) not in _SPLITTERS:
            continue
        names = script.unpacked_names(site.node)
        held_out = [name for name in names if split_from_name(name) in HELD_OUT]
        if not held_out or any(f"{name}.dataset" in _assigns_by_target(script) for name in names):
            continue  # a subset given a dataset object of its own (`val_set.dataset = copy.deepcopy(full)`)
        sets = [assignment for name in names for assignment in _assigns_by_target(script).get(f"{name}.dataset.transform", ())
                if assignment.function is site.function and assignment.order > site.order]
        if not sets or any(assignment.loop is not site.loop for assignment in sets):
            continue
        last = max(sets, key=lambda assignment: assignment.order)
        owner = last.target.split(".", 1)[0]
        random_call = random_transform(script, last.value, last.function)
        if owner in held_out or random_call is None or is_tta(script, last.value, last.function):
            continue
        if len(sets) > 1 and any(under_if(assignment) for assignment in sets):
            continue  # set under a condition: which one runs last is not certain
        what = split_from_name(held_out[0]).value
        yield Report(last.statement, (
            f"`{last.target} = {short_code(last.value)}` sets the transform of the dataset that `{held_out[0]}` "
            f"shares with `{owner}` (both are subsets of one `{short_code(call_arg(site.node, 0, 'dataset'))}`), "
            f"so the random augmentation (`{short_code(random_call.func)}`) applies to the {what} subset too: "
            f"{CONSEQUENCE.format(what=what)}; build the {what} subset over a second dataset object with the "
            f"evaluation transform (`Subset(ImageFolder(root, transform=test_tf), val_idx)`)"),
            statement=last.statement)


def _loaded_as_is(script: Script, name: str, site: CallSite) -> bool:
    """A loader takes the subset directly (also through a helper's returned tuple), and nothing
    changes its dataset or transform."""
    prefix = f"{name}."
    if any(assignment.target.startswith(prefix) for assignment in script.assigns):
        return False
    index = next((element[1] for assignment in script.assigns if assignment.target == name
                  and (element := assignment.element()) is not None and element[0] is site.node), None)
    for loader in dataloaders(script):
        if loader.dataset is None:
            continue
        bounds = script.values(loader.dataset, loader.obj.function)
        if bounds and all(unpacked_from(bound.expr) is site.node and (element_index(bound.expr) or (None, None))[1] == index
                          for bound in bounds):
            return True
    return False


@memoized
def _assigns_by_target(script: Script) -> dict[str, list]:
    index: dict[str, list] = {}
    for assignment in script.assigns:
        index.setdefault(assignment.target, []).append(assignment)
    return index


