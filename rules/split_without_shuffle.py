from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.analysis.data import dataset_split
from fitlint.analysis.samples import same_samples
from fitlint.findings import HELD_OUT, Severity, Split
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, Script, call_arg, code_of, dotted, literal
from fitlint.analysis.splits import (
    Cut,
    complementary,
    cut_at_seam,
    cuts,
    drawn_at_random,
    file_is_time_ordered,
    from_presplit_source,
    is_text_stream,
    name_is_time_ordered,
    permuted_before,
    windowed_after,
    words_of,
)

HEADER = """\
import numpy as np
import torch
from torch.utils.data import DataLoader, Subset, TensorDataset
X = np.load("features.npy")
y = np.load("labels.npy")
"""

# data loaded by a helper of the file (LOADER): shuffled in it, or not
HELPER_LOADS = """
import numpy as np
import torch
from sklearn.utils import shuffle


def load_and_shuffle(path, seed=0):
    data = np.load(path)
    X, y = data["X"], data["y"]
    perm = np.random.default_rng(seed).permutation(len(X))
    return X[perm], y[perm]


def load_shuffled(path):
    data = np.load(path)
    return shuffle(data["X"], data["y"], random_state=0)


def load(path):
    data = np.load(path)
    return data["X"], data["y"]


X, y = LOADER("data/features.npz")
X_train, y_train = torch.from_numpy(X[:8000]), torch.from_numpy(y[:8000])
X_val, y_val = torch.from_numpy(X[8000:]), torch.from_numpy(y[8000:])MARK
"""

_HELD = {
    "tail": "only the samples stored last (if stored by class, only the classes that sort last)",
    "head": "only the samples stored first (if stored by class, only the classes that sort first)",
    "middle": "only one contiguous block of the samples (if stored by class, only the classes stored there)",
}


def consequence(side: str = "tail") -> str:
    """What a held-out part cut from one ``side`` of data in stored order holds, and what it does."""
    return (f"the validation split holds {_HELD[side]}: validation accuracy can sit at or below chance "
            "(the H200 reference run: 100% train, 1.7% validation)")


CONSEQUENCE = consequence()
ADVICE = (
    "shuffle with one permutation first (`perm = np.random.permutation(len(X)); X, y = X[perm], "
    "y[perm]`) or use `train_test_split(..., stratify=y)` / `random_split`"
)

# Names in a cut point that say "this is where a split goes".
_SPLIT_WORDS = frozenset({
    "train", "training", "val", "valid", "validation", "test", "testing", "split", "holdout", "dev",
    "ratio", "frac", "fraction", "ntrain", "ntest", "nval", "trn", "tst", "cut", "boundary", "pivot",
})
_FRACTION = re.compile(r"(?<![\w.])0?\.\d+|\b\d+\s*/\s*\d+|\b\d+\s*//\s*\d+")


# a model's encoded training text (or records), split at a position and batched by BATCHES
STREAM = """
import torch

def train(net, data, batch_size=10, seq_length=50, val_frac=0.1):
    opt = torch.optim.Adam(net.parameters(), lr=0.001)
    val_idx = int(len(data) * (1 - val_frac))
    data, val_data = data[:val_idx], data[val_idx:]MARK
    for epoch in range(10):
        for x, y in BATCHES(data):
            opt.zero_grad()
            torch.nn.functional.cross_entropy(net(x), y).backward()
            opt.step()
        with torch.no_grad():
            val_losses = [torch.nn.functional.cross_entropy(net(x), y).item() for x, y in BATCHES(val_data)]
"""


class SplitWithoutShuffle(Rule):
    """
    ## What it does
    Flags a validation or test split cut from data in stored order: contiguous slices of arrays,
    tensors, data frames or datasets (`X[:n]` / `X[n:]`, `X[:-n]` / `X[-n:]`,
    `X[:int(0.8 * len(X))]`, rows with some of their columns: `data[n:, :-1]`), `Subset(ds, range(...))`
    or `Subset(ds, indices[:n])` over unshuffled
    indices, `train_test_split(..., shuffle=False)`, and Keras' `fit(..., validation_split=0.2)` on
    arrays that were not shuffled (Keras takes the *last* fraction, before any shuffling). Two copies
    of one dataset built for two transforms (`train_full = XrayDataset(root, augment=True)`,
    `eval_full = XrayDataset(root)`) are one dataset: the head of one and the tail of the other
    are a split in stored order, whatever the copies are named.

    It reports only a real split: a part named or passed as validation/test (`X_val = X[n:]`,
    `validation_data=(X[n:], y[n:])`), or a head and a tail of the same data both used, cut at a
    split point (`n_train`, `int(0.8 * len(X))`). It stays silent when the data (or the index list)
    was permuted first with one permutation (`perm = torch.randperm(n)`, `np.random.permutation`,
    `np.random.shuffle(X)`, `random.shuffle(indices)`, `df.sample(frac=1)`, `df.sample(n=50000)`,
    `sklearn.utils.shuffle(X, y)`) (the features cut at the same point as labels taken from a
    shuffled frame count as shuffled too, however a loop built them), on slices inside a loop (batches, BPTT windows, folds), on rows
    whose columns are taken twice shifted by a step (`data[3:, :-1]` as input, `data[3:, 1:]` as
    target: each row a whole series), on a debug subset with no second part (`X[:1000]`), on
    sub-sampling an existing test split, on
    published datasets in their distributed order (torchvision `train=False`, Keras `load_data()`),
    on parts joined to be preprocessed alike and cut back where the first one ends (`all_x =
    pd.concat((train_df, test_df))` then `all_x[:n_train]` / `all_x[n_train:]` with `n_train =
    train_df.shape[0]` or `len(train_df)`, or from the end at the last one's length,
    `data2[-test_df.shape[0]:]`; also through a fitted transform of the joined rows,
    `PCA(n).fit_transform(data[GENES])`, and pandas' `train_df.append(test_df)`: a competition's
    own train and test files), and on data whose order is its meaning. For that last case it is deliberately conservative:
    a file that mentions forecasting, time series, stocks, lookback windows, date columns,
    `batchify` or BPTT, or fits a recurrent network (`nn.LSTM`, `nn.GRU`, `nn.RNN`) with a
    regression loss (`nn.MSELoss`, `nn.L1Loss`: it predicts the next values), and data named like `series`, `seq`, `ts`, `prices`, `corpus`, `tokens`,
    is taken to be split by time on purpose, and nothing in it is reported; so is a stream split
    before it is windowed, each part passed afterwards to a call that cuts sequences of a length
    (`get_batches(val_data, batch_size, seq_length)` in a character-level language model: the
    order that keeps overlapping windows out of both parts).

    ## Why is this bad?
    Data files are often stored sorted: by class (one folder per class, a CSV sorted by label), by
    subject, by collection date. A contiguous tail then holds only the samples stored last: only the
    classes that sort last, classes the model rarely or never saw in training. Training accuracy
    climbs while validation accuracy sits at or below chance. In the H200 reference run
    (`unshuffled_split-s0`: label-sorted digits, validation = last 20%) the model reached 100%
    training accuracy and 1.7% validation accuracy. The seed case (1,440 samples, an 80/20 split
    of a binary problem) is the same mistake at a smaller scale: 288 validation samples, all from
    the class stored last.

    ## Example
    ```python
    n_train = int(0.8 * len(X))  # 1,440 samples stored sorted by label
    X_train, y_train = X[:n_train], y[:n_train]
    X_val, y_val = X[n_train:], y[n_train:]
    ```

    ## Use instead
    ```python
    perm = np.random.permutation(len(X))
    X, y = X[perm], y[perm]  # one permutation for features and labels
    n_train = int(0.8 * len(X))
    X_train, y_train = X[:n_train], y[:n_train]
    X_val, y_val = X[n_train:], y[n_train:]
    ```
    or `train_test_split(X, y, test_size=0.2, stratify=y)`, or `random_split(dataset, [0.8, 0.2])`.

    ## References
    - https://scikit-learn.org/stable/modules/generated/sklearn.model_selection.train_test_split.html
    - https://keras.io/api/models/model_training_apis/#fit-method ("The validation data is selected
      from the last samples in the x and y data provided, before shuffling.")
    - https://pytorch.org/docs/stable/data.html#torch.utils.data.random_split
    - The seed document (../shared/seed/): 1,440 samples, 80% for training; the H200 reference runs
      `unshuffled_split-s0` and `unshuffled_split_binary-s0`.
    """

    code = "FIT102"
    name = "split-without-shuffle"
    severity = Severity.WARNING

    VALID = [
        # one permutation applied to features and labels, then a contiguous slice
        Valid(HEADER + """
perm = np.random.permutation(len(X))
X, y = X[perm], y[perm]
n_train = int(0.8 * len(X))
X_train, y_train = X[:n_train], y[:n_train]
X_val, y_val = X[n_train:], y[n_train:]
"""),
        # shuffled index list (the PyTorch-forum SubsetRandomSampler recipe)
        Valid(HEADER + """
from torch.utils.data import SubsetRandomSampler
num_train = len(train_data)
indices = list(range(num_train))
split = int(np.floor(0.2 * num_train))
np.random.shuffle(indices)
train_idx, valid_idx = indices[split:], indices[:split]
train_sampler = SubsetRandomSampler(train_idx)
valid_sampler = SubsetRandomSampler(valid_idx)
"""),
        # Subset over a randperm
        Valid(HEADER + """
dataset = TensorDataset(torch.tensor(X), torch.tensor(y))
indices = torch.randperm(len(dataset)).tolist()
train_set = Subset(dataset, indices[:-300])
val_set = Subset(dataset, indices[-300:])
"""),
        # random_split / train_test_split with its default shuffle
        Valid(HEADER + """
from sklearn.model_selection import train_test_split
from torch.utils.data import random_split
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y)
train_set, val_set = random_split(TensorDataset(torch.tensor(X), torch.tensor(y)), [0.8, 0.2])
"""),
        # a time series split by time on purpose
        Valid(HEADER + """
import pandas as pd
df = pd.read_csv("sales.csv", parse_dates=["Date"])
series = df["sales"].values
n_train = int(len(series) * 0.8)
train_series, test_series = series[:n_train], series[n_train:]
"""),
        # slicing batches inside a loop; a debug subset with no second part
        Valid(HEADER + """
X_small = X[:1000]
for i in range(0, len(X_small), 32):
    xb = X_small[i:i + 32]
    train_part, val_part = xb[:16], xb[16:]
"""),
        # pre-split datasets, and halving the official test set
        Valid(HEADER + """
import torchvision
trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True)
testset = torchvision.datasets.CIFAR10(root="./data", train=False, download=True)
val_set = Subset(testset, range(5000))
test_set = Subset(testset, range(5000, 10000))
X_test = np.load("test_x.npy")
X_test = X_test[:500]
"""),
        # Keras validation_split after shuffling with sklearn.utils.shuffle
        Valid(HEADER + """
from sklearn.utils import shuffle
X, y = shuffle(X, y, random_state=0)
model.fit(X, y, epochs=20, validation_split=0.2)
"""),
        # Keras datasets come in their published order; MNIST from OpenML in its official order
        Valid(HEADER + """
from tensorflow import keras
from sklearn.datasets import fetch_openml
(x_train, y_train), (x_test, y_test) = keras.datasets.mnist.load_data()
x_val, y_val = x_train[-10000:], y_train[-10000:]
x_train, y_train = x_train[:-10000], y_train[:-10000]
model.fit(x_train, y_train, validation_split=0.1)
X_all, y_all = fetch_openml("mnist_784", version=1, return_X_y=True, as_frame=False)
X_tr, X_te = X_all[:60000], X_all[60000:]
"""),
        # a character stream split at a position, each part then cut into sequences
        Valid(STREAM.replace("BATCHES(", "get_batches(seq_length, ").replace("MARK", "")),
        # sequence shift for next-token targets: not a split
        Valid(HEADER + """
tokens = torch.tensor(np.load("tokens.npy"))
inputs, targets = tokens[:-1], tokens[1:]
"""),
        # shuffled data frame
        Valid(HEADER + """
import pandas as pd
df = pd.read_csv("data.csv").sample(frac=1, random_state=0)
cut = int(0.8 * len(df))
train_df, val_df = df.iloc[:cut], df.iloc[cut:]
"""),
        # a random subset of a frame stored sorted by label (Sentiment140): `sample(n=...)` draws rows
        # in random order, so the slice after it is a random split
        Valid(HEADER + """
import pandas as pd
tweets = pd.read_csv("training.1600000.processed.noemoticon.csv", encoding="latin-1")
tweets = tweets.sample(n=100000, random_state=100)
texts, labels = tweets["text"].values, tweets["target"].values
n_train = int(0.8 * len(texts))
X_train, X_val = texts[:n_train], texts[n_train:]
y_train, y_val = labels[:n_train], labels[n_train:]
"""),
        # the remainder distributed evaluation takes of the validation set: already held out, not a new split
        Valid("""
import torch
import torch.distributed as dist
from torch.utils.data import Subset
from torchvision import datasets, transforms


def validate(val_loader, model, criterion, args):
    def run_validate(loader, base_progress=0):
        with torch.no_grad():
            for i, (images, target) in enumerate(loader):
                output = model(images)
                loss = criterion(output, target)

    model.eval()
    run_validate(val_loader)
    if args.distributed and (len(val_loader.sampler) * args.world_size < len(val_loader.dataset)):
        aux_val_dataset = Subset(val_loader.dataset,
                                 range(len(val_loader.sampler) * args.world_size, len(val_loader.dataset)))
        aux_val_loader = torch.utils.data.DataLoader(
            aux_val_dataset, batch_size=args.batch_size, shuffle=False,
            num_workers=args.workers, pin_memory=True)
        run_validate(aux_val_loader, len(val_loader))


def main(args, model, criterion):
    val_dataset = datasets.ImageFolder("val", transforms.ToTensor())
    val_sampler = torch.utils.data.distributed.DistributedSampler(val_dataset, shuffle=False, drop_last=True)
    val_loader = torch.utils.data.DataLoader(val_dataset, batch_size=256, shuffle=False, sampler=val_sampler)
    validate(val_loader, model, criterion, args)
"""),
        # a character-level text stream split by position: the right split for a sequence
        Valid("""
import numpy as np
import torch

text = open("shakespeare.txt").read()
vocab = sorted(set(text))
char2idx = {c: i for i, c in enumerate(vocab)}
encoded = np.array([char2idx[c] for c in text])
split = int(len(encoded) * 0.9)
train_ids = torch.from_numpy(encoded[:split])
valid_ids = torch.from_numpy(encoded[split:])
"""),
        # synthetic data drawn at random: its rows are independent samples in any order
        Valid("""
import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset
g = torch.Generator().manual_seed(0)
x = torch.randn(20000, 16, generator=g)
w = torch.randn(16, 1, generator=g)
y = x @ w + 0.1 * torch.randn(20000, 1, generator=g)
train = DataLoader(TensorDataset(x[:16000], y[:16000]), batch_size=128, shuffle=True)
x_val, y_val = x[16000:], y[16000:]
rng = np.random.default_rng(1)
features = rng.normal(size=(1000, 2)).astype(np.float32)
labels = (features.sum(axis=1) > 0).astype(np.int64)
X_train, y_train = features[:800], labels[:800]
X_val, y_val = features[800:], labels[800:]
"""),
        # MNIST's arrays in their published order (not sorted by class): the usual 50k/10k split
        Valid("""
import torch
from torchvision import datasets
mnist = datasets.MNIST("data", train=True, download=True)
X = mnist.data.float().div(255).view(-1, 784)
Y = mnist.targets
X_train, Y_train = X[:50000], Y[:50000]
X_valid, Y_valid = X[50000:], Y[50000:]
"""),
        # a helper of the file that returns the data in random order
        Valid(HELPER_LOADS.replace("LOADER", "load_and_shuffle").replace("MARK", "")),
        Valid(HELPER_LOADS.replace("LOADER", "load_shuffled").replace("MARK", "")),
        # shuffled in place under the name the helper returns
        Valid("""
import numpy as np
import torch


def load_table(path):
    table = np.load(path)
    np.random.shuffle(table)
    return table, table.shape[1] - 1


table, n_features = load_table("data/table.npy")
train_rows, val_rows = table[:8000], table[8000:]
X_train, y_train = torch.from_numpy(train_rows[:, :n_features]), torch.from_numpy(train_rows[:, n_features])
"""),
    ]

    INVALID = [
        # the same helper shape returning the data as stored
        Invalid(HELPER_LOADS.replace("LOADER", "load").replace("MARK", "  # FIT102")),
        # the same split of records, batched as they are stored
        Invalid(STREAM.replace("BATCHES(", "DataLoader(").replace("MARK", "  # FIT102")),
        # the arrays of a class-sorted folder dataset
        Invalid("""
import torch
from torchvision import datasets
folder = datasets.ImageFolder("data/train")
Y = torch.tensor(folder.targets).mul(1)
Y_train, Y_valid = Y[:5000], Y[5000:]  # FIT102
"""),
        # noise added to stored data does not put it in random order
        Invalid(HEADER + """
X_noisy = X + np.random.normal(0, 0.1, X.shape)
n_train = int(0.8 * len(X_noisy))
X_train, y_train = X_noisy[:n_train], y[:n_train]
X_val, y_val = X_noisy[n_train:], y[n_train:]  # FIT102
"""),
        # the seed: 1,440 samples stored by label, 80/20 slice
        Invalid(HEADER + """
n_train = int(0.8 * len(X))
X_train, y_train = X[:n_train], y[:n_train]
X_val, y_val = X[n_train:], y[n_train:]  # FIT102
"""),
        # Subset over range()
        Invalid(HEADER + """
import torchvision
dataset = torchvision.datasets.ImageFolder("data/train")
n_val = len(dataset) // 5
train_set = Subset(dataset, range(n_val, len(dataset)))
val_set = Subset(dataset, range(n_val))  # FIT102
"""),
        # train_test_split with shuffle=False
        Invalid(HEADER + """
from sklearn.model_selection import train_test_split
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, shuffle=False)  # FIT102
"""),
        # Keras validation_split on unshuffled arrays
        Invalid(HEADER + """
model.fit(X, y, batch_size=32, epochs=50,
          validation_split=0.2)  # FIT102
"""),
        # unnamed head and tail cut at a split point, tail as validation data
        Invalid(HEADER + """
split = int(len(X) * 0.9)
model.fit(X[:split], y[:split], validation_data=(X[split:], y[split:]))  # FIT102
"""),
        # shuffling only the training part does not help the split
        Invalid(HEADER + """
X_test = torch.tensor(X[-288:])  # FIT102
X_train = torch.tensor(X[:-288])
X_train = X_train[torch.randperm(len(X_train))]
"""),
        # the lines of a file are records (samples), not one stream: cut in stored order
        Invalid("""
import torch

lines = open("reviews.tsv").read().splitlines()
n = int(0.8 * len(lines))
train_lines = lines[:n]
val_lines = lines[n:]  # FIT102
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        by_method = script.calls_by_method
        split_calls = by_method.get("train_test_split", []) + by_method.get("fit", [])
        if not (split_calls or script.slicing_statements or "Subset" in by_method):
            return
        if file_is_time_ordered(script):
            return
        for site in split_calls:
            report = self._split_call(script, site)
            if report is not None:
                yield report
        yield from self._slices(script)

    # train_test_split(shuffle=False), fit(validation_split=...) ----------------------------------
    def _split_call(self, script: Script, site: CallSite) -> Report | None:
        if site.method == "train_test_split":
            shuffle = call_arg(site.node, None, "shuffle")
            if shuffle is None:
                return None
            values = {literal(bound.expr) for bound in script.values(shuffle, site.function)}
            if values != {False} or _time_ordered_args(site):
                return None
            return Report(
                shuffle,
                f"`train_test_split(..., shuffle=False)` cuts the test split from the end of the data in "
                f"stored order: {CONSEQUENCE}; drop `shuffle=False` (and pass `stratify=y`)",
                statement=site.statement,
            )
        split = call_arg(site.node, None, "validation_split")
        if split is None or site.method != "fit":
            return None
        fraction = literal(split)
        if fraction in (0, 0.0, None) or isinstance(fraction, bool):
            return None
        data = call_arg(site.node, 0, "x")
        if dotted(data) is None or _time_ordered_args(site):
            return None
        if permuted_before(script, data, site.function, site.order):
            return None
        if from_presplit_source(script, data, site.function) or _unknown_parameter(script, data, site.function):
            return None
        return Report(
            split,
            f"`validation_split` takes the last {_percent(fraction)}of `{dotted(data)}` as validation data, "
            f"before any shuffling: {CONSEQUENCE}; shuffle the arrays with one permutation before `fit` "
            "or pass `validation_data=` from a stratified split",
            statement=site.statement,
        )

    # slices and Subsets ----------------------------------------------------------------------
    def _slices(self, script: Script) -> Iterator[Report]:
        every = cuts(script)
        candidates = [cut for cut in every if self._in_stored_order(script, cut)]
        # the other copy of a dataset built twice, one per transform (`eval_full = XrayDataset(root,
        # augment=False)`), is the same data as the copy the training part is cut from, whatever
        # its name says
        taken = {id(cut) for cut in candidates}
        candidates += [cut for cut in every if id(cut) not in taken and any(
            _copies_meet(script, cut, other) for other in candidates) and self._in_stored_order(script, cut, True)]
        # a split of random draws: `y = x @ w + noise` is cut where `x = torch.randn(n, d)` is, and
        # its rows are as independent as x's
        drawn = [cut for cut in every if drawn_at_random(script, cut.base, cut.function)]
        # X and y cut at one point are rows of the same samples: when y's rows were shuffled (its
        # frame sampled), X's were too, through whatever loop built X from the same rows (X and y
        # shuffled apart is FIT103's finding); so are the parts later cut from such a part
        shuffled = [cut for cut in every if permuted_before(script, cut.base, cut.function, cut.order)]
        in_random_order: set[str] = set()
        reported: set[int] = set()
        for cluster in _clusters(candidates):
            if (any(_same_split(cut, other) for cut in cluster for other in (*drawn, *shuffled))
                    or any(cut.base_name in in_random_order for cut in cluster)):
                in_random_order.update(cut.target for cut in cluster if cut.target)
                continue
            held_out = [cut for cut in cluster if _is_held_out(script, cut, cluster)]
            if not held_out:
                continue
            cut = held_out[0]
            if id(cut.node) in reported:
                continue
            reported.add(id(cut.node))
            yield Report(cut.node, _message(cut), statement=cut.statement)

    @staticmethod
    def _in_stored_order(script: Script, cut: Cut, copy: bool = False) -> bool:
        # a part of data already held out (the remainder distributed evaluation takes of the
        # validation set) is not a new split; a copy of the data the training part is cut from is
        # not held out (``copy``)
        base_split = None if copy else dataset_split(script, cut.base, cut.function)
        if base_split in HELD_OUT or name_is_time_ordered(cut.base_name) or name_is_time_ordered(cut.target):
            return False
        if is_text_stream(script, cut.base, cut.function) or windowed_after(cut):
            return False
        if permuted_before(script, cut.base, cut.function, cut.order):
            return False
        if from_presplit_source(script, cut.base, cut.function) or cut_at_seam(script, cut):
            return False
        return not _unknown_parameter(script, cut.base, cut.function)


def _same_split(cut: Cut, other: Cut) -> bool:
    """Two cuts of one split: same function, a cut point in common (X and y cut at `n_train`)."""
    return cut.function is other.function and bool(cut.points & other.points)


def _clusters(candidates: list[Cut]) -> list[list[Cut]]:
    """Cuts of one split (see _same_split)."""
    clusters: list[list[Cut]] = []
    for cut in candidates:
        home = None
        for cluster in clusters:
            if any(_same_split(cut, other) for other in cluster):
                home = cluster
                break
        if home is None:
            clusters.append([cut])
        else:
            home.append(cut)
    return clusters


def _is_held_out(script: Script, cut: Cut, cluster: list[Cut]) -> bool:
    """The part of a split that is evaluated on: named or passed as validation/test; or, in an
    unnamed pair of complementary parts cut at a split point, the non-training part (the tail)."""
    if cut.role in HELD_OUT:
        return True
    if cut.role is Split.TRAIN:
        return False
    partners = [other for other in cluster if complementary(cut, other) or _copies_meet(script, cut, other)]
    if not partners:
        return False
    if any(other.role is Split.TRAIN for other in partners):
        return True
    if any(other.role in HELD_OUT for other in partners):
        return False
    return cut.side != "head" and _split_point(script, cut)


def _copies_meet(script: Script, cut: Cut, other: Cut) -> bool:
    """Two copies of one dataset (built twice, one per transform) cut at the same point on either
    side: `Subset(train_full, range(0, n_train))` and `Subset(eval_full, range(n_train, n))`."""
    return (cut.base_name != other.base_name and cut.side != other.side and bool(cut.points & other.points)
            and bool(same_samples(script, (cut.base, cut.function, cut.order), (other.base, other.function, other.order))))


def _split_point(script: Script, cut: Cut) -> bool:
    """A cut point that reads as a split: `int(0.8 * len(X))`, `n_train`, `split`, `len(X) // 5`."""
    for point in cut.point_nodes:
        if type(point) is cst.UnaryOperation and type(point.operator) is cst.Minus:
            point = point.expression  # `X[-n_hold:]` with `n_hold = int(len(X) * frac)`
        texts = [code_of(point)] + [code_of(bound.expr) for bound in script.values(point, cut.function)]
        for text in texts:
            if _FRACTION.search(text) or words_of(text) & _SPLIT_WORDS:
                return True
    return False


def _unknown_parameter(script: Script, expr: cst.BaseExpression | None, function) -> bool:
    """A function parameter with no call site in this file: what it holds cannot be told."""
    name = dotted(expr)
    if type(expr) is not cst.Name or name not in function.params or function.bindings.get(name):
        return False
    return not script.call_sites_of(function)


def _time_ordered_args(site: CallSite) -> bool:
    return any(name_is_time_ordered(dotted(arg.value)) for arg in site.node.args)


def _percent(fraction: object) -> str:
    if isinstance(fraction, int | float) and 0 < fraction < 1:
        return f"{fraction:.0%} "
    return ""


def _message(cut: Cut) -> str:
    part = f"`{cut.target}`" if cut.target else f"`{code_of(cut.node)}`"
    where = {"head": "the start", "tail": "the end", "middle": "a contiguous block"}[cut.side]
    return (
        f"{part} is cut from {where} of `{cut.base_name}` in stored order (nothing shuffled it first): "
        f"{consequence(cut.side)}; {ADVICE}"
    )
