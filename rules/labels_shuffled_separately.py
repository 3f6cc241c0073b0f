from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.findings import Severity
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import (
    RESOLVED, Basis, FunctionInfo, Script, Store, code_of, contains, dotted, guessed, literal, references,
)
from fitlint.analysis.splits import Reorder, reorders, rows_of, same_random_order, words_of
from fitlint.analysis.data import holds_a_setting
from fitlint.analysis.transforms import transform_arg

HEADER = """\
import random
import numpy as np
import torch
from torch.utils.data import DataLoader, TensorDataset
X = np.load("features.npy")
y = np.load("labels.npy")
"""

CONSEQUENCE = (
    "sample i no longer carries its own label, so the model can only memorize noise: training "
    "accuracy climbs towards 100% while validation accuracy sits at chance (H200 reference run "
    "random_labels_binary: 100% train, 54.9% validation)"
)
ADVICE = (
    "put both in random order with one permutation (`perm = np.random.permutation(len(X)); "
    "X, y = X[perm], y[perm]`, or `X, y = sklearn.utils.shuffle(X, y)`), or shuffle the "
    "DataLoader instead"
)

# Words that make a name the features / the labels of a pair (`X_train` / `y_train`).
_FEATURE_WORDS = frozenset({
    "x", "data", "feature", "features", "feat", "feats", "input", "inputs", "image", "images", "img",
    "imgs", "sample", "samples", "text", "texts", "sentence", "sentences", "seq", "seqs", "sequences",
    "signal", "signals", "audio", "points", "pixels", "review", "reviews", "doc", "docs", "src",
    "obs", "observations", "tensor", "tensors", "arr", "array",
})
_SPLIT_WORDS = frozenset({"train", "training", "val", "valid", "validation", "test", "dev"})
_LABEL_WORDS = frozenset({
    "y", "label", "labels", "lbl", "lbls", "target", "targets", "tgt", "tgts", "class", "classes",
    "gt", "annotation", "annotations", "tag", "tags", "cls", "answer", "answers", "truth",
})
# Calls whose arguments are aligned sample by sample whatever the names.
_PAIRING_CALLS = frozenset({
    "TensorDataset", "zip", "fit", "fit_generator", "train_test_split", "evaluate", "score",
    "cross_val_score", "cross_validate", "train_on_batch", "test_on_batch", "StratifiedKFold",
})
# Functions whose shuffling reorders one sample (pixels, tokens), not the dataset.
_PER_SAMPLE_FUNCTION = re.compile(r"augment|transform|perturb|noise|jitter|collate|corrupt|mask", re.IGNORECASE)
_PER_SAMPLE_METHODS = frozenset({"__getitem__", "__call__", "forward", "__iter__"})
# A labels-only shuffle under such a name is a control experiment (random-label baseline).
_CONTROL_WORDS = frozenset({
    "random", "rand", "shuffled", "shuf", "perm", "permuted", "null", "fake", "noise", "noisy",
    "corrupt", "corrupted", "control", "baseline",
})
_CONTROL_FILE = re.compile(r"random[ _-]?labels?|permutation[ _-]test|label[ _-]noise|noisy[ _-]labels?")  # lower-cased source
MAX_ORIGIN_HOPS = 4


class LabelsShuffledSeparately(Rule):
    """
    ## What it does
    Flags features and labels put in random order independently: `np.random.shuffle(X)` and
    `np.random.shuffle(y)`, two different permutations (`X = X[np.random.permutation(n)]`,
    `y = y[np.random.permutation(n)]`, `torch.randperm` twice, one seeded generator drawn from
    twice), or a shuffle of only one of them (`random.shuffle(images)` while `labels` keeps its
    order, `X = X.sample(frac=1)` on a features frame but not the labels series) before the two
    are used together (`TensorDataset(X, y)`, `model.fit(X, y)`, `train_test_split(X, y)`,
    `zip(images, labels)`).

    Features and labels are recognized by how they are used (passed side by side to a call that
    pairs samples, or to any call when their names pair up: `X` / `y`, `x_train` / `y_train`,
    `images` / `labels`, `data` / `target`, `inputs` / `targets`), or returned together by a
    helper that filled both lists in one loop (`wav_paths.append(p); labels.append(idx)`, then
    `random.shuffle(wav_paths)` and `return wav_paths, labels`). A shuffle written once and run
    for each array draws a new order each time: `for a in (X, y): np.random.shuffle(a)`, or a
    helper handed both (`X, y = shuffle_arrays(X, y)` over `for a in arrays: rng.shuffle(a)` or
    `return [a[rng.permutation(len(a))] for a in arrays]`); the finding is at the shuffle. It
    stays silent on one
    permutation applied to both, `sklearn.utils.shuffle(X, y)`, a shuffled list of `(x, y)` pairs,
    a shuffled index list used to index both, the same seed set again before the second shuffle
    (`np.random.seed(0)` before each, `default_rng(0)` created anew, equal `random_state=`), a data
    frame that holds both the features and the label column, shuffles inside `__getitem__`,
    `forward` or augmentation functions (pixels or tokens within one sample), labels re-aligned to
    the shuffled features (`y = y.loc[X.index]`), a labels-only shuffle named as a control
    experiment (`y_random = np.random.permutation(y)`), and what a dataset is handed beside the
    shuffled samples that holds no samples: a folder or a setting (`SegDataset(paths[n:],
    MASK_DIR, augment=True)`, each mask found by its image's file name; `max_len`, `args.img_root`,
    `cfg.data_dir`), a transform, a
    tokenizer (`ReviewDataset(rows[:cut], tokenizer, max_len)`), or, where the samples are cut by
    rows, anything passed whole beside them.

    ## Why is this bad?
    After two independent shuffles, sample i sits next to the label of some other sample: the
    labels are noise with respect to the inputs. A network large enough can still memorize the
    training pairs, so training accuracy climbs to ~100%, while validation accuracy sits at chance:
    there is nothing to generalize (the seed's "数据和标签没有对上", data and labels don't line up).
    In the H200 reference run `random_labels_binary` the model reached 100% training accuracy and
    54.9% validation accuracy on a binary problem. Calling `np.random.shuffle` twice draws two
    different orders; so does a seeded generator used twice (`rng = np.random.default_rng(0)`
    then `rng.shuffle(X); rng.shuffle(y)`): the seed fixes the sequence, not each draw.

    ## Example
    ```python
    np.random.shuffle(X)
    np.random.shuffle(y)  # a second, different order
    train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    ```

    ## Use instead
    ```python
    perm = np.random.permutation(len(X))
    X, y = X[perm], y[perm]  # one order for both
    train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    ```
    or `X, y = sklearn.utils.shuffle(X, y)`, or leave the arrays in order and let
    `DataLoader(..., shuffle=True)` draw the batches.

    ## References
    - https://numpy.org/doc/stable/reference/random/generated/numpy.random.shuffle.html
    - https://scikit-learn.org/stable/modules/generated/sklearn.utils.shuffle.html
    - Zhang et al., "Understanding deep learning requires rethinking generalization" (ICLR 2017):
      networks fit random labels perfectly while test accuracy is at chance.
    - The seed document (../shared/seed/): "数据和标签没有对上"; the H200 reference run
      `random_labels_binary`.
    """

    code = "FIT103"
    name = "labels-shuffled-separately"
    severity = Severity.ERROR

    VALID = [
        # one permutation applied to both
        Valid(HEADER + """
perm = np.random.permutation(len(X))
X, y = X[perm], y[perm]
train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
"""),
        # sklearn.utils.shuffle(X, y) reorders both with one permutation
        Valid(HEADER + """
from sklearn.utils import shuffle
from sklearn.model_selection import train_test_split
X, y = shuffle(X, y, random_state=0)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2)
"""),
        # a shuffled list of (x, y) pairs
        Valid(HEADER + """
pairs = list(zip(X, y))
random.shuffle(pairs)
X, y = zip(*pairs)
train_set = TensorDataset(torch.tensor(X), torch.tensor(y))
"""),
        # a shuffled index list used to index both
        Valid(HEADER + """
indices = np.arange(len(X))
np.random.shuffle(indices)
X_train, y_train = X[indices], y[indices]
model.fit(X_train, y_train)
"""),
        # the same seed set again before each shuffle: equal orders
        Valid(HEADER + """
np.random.seed(0)
np.random.shuffle(X)
np.random.seed(0)
np.random.shuffle(y)
train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
"""),
        # the generator's state saved once and restored before each shuffle: equal orders
        Valid(HEADER + """
def shuffle_together(X_train, y_train):
    state = np.random.get_state()
    np.random.set_state(state)
    np.random.shuffle(X_train)
    np.random.set_state(state)
    np.random.shuffle(y_train)

shuffle_together(X, y)
train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
"""),
        Valid(HEADER + """
import random
pairs_x, pairs_y = list(X), list(y)
saved = random.getstate()
random.shuffle(pairs_x)
random.setstate(saved)
random.shuffle(pairs_y)
model.fit(pairs_x, pairs_y)
"""),
        # a fresh generator with the same seed for each, and equal random_state in pandas
        Valid(HEADER + """
import pandas as pd
X = X[np.random.default_rng(42).permutation(len(X))]
y = y[np.random.default_rng(42).permutation(len(y))]
features = pd.read_csv("x.csv").sample(frac=1, random_state=7)
target = pd.read_csv("y.csv")["label"].sample(frac=1, random_state=7)
model.fit(features, target)
"""),
        # a data frame holding the features and the label column, shuffled as a whole
        Valid("""
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
df = df.sample(frac=1).reset_index(drop=True)
X = df.drop(columns=["label"]).values
y = df["label"].values
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2)
"""),
        # pixels shuffled within one image: augmentation, not the dataset order
        Valid(HEADER + """
from torch.utils.data import Dataset
class PatchShuffle(Dataset):
    def __init__(self, images, labels):
        self.images, self.labels = images, labels
    def __getitem__(self, i):
        image = self.images[i].copy()
        np.random.shuffle(image)
        return image, self.labels[i]
def augment(img, label):
    np.random.shuffle(img)
    return img, label
"""),
        # labels re-aligned to the shuffled features by index
        Valid("""
import pandas as pd
from sklearn.linear_model import LogisticRegression
model = LogisticRegression()
X = pd.read_csv("x.csv")
y = pd.read_csv("y.csv")["label"]
X = X.sample(frac=1)
y = y.loc[X.index]
model.fit(X, y)
"""),
        # a random-label control experiment (Zhang et al.): the name says so
        Valid(HEADER + """
y_random = np.random.permutation(y)
model.fit(X, y_random)
"""),
        # shuffling unlabeled data used for prediction only
        Valid(HEADER + """
X_unlabeled = np.load("unlabeled.npy")
np.random.shuffle(X_unlabeled)
predictions = model.predict(X_unlabeled)
"""),
        # one permutation, then a cast and a scaling of the inputs: the rows keep that order
        Valid("""
import numpy as np
import torch
from sklearn.datasets import load_digits
data = load_digits()
idx = np.random.permutation(len(data.target))
X = data.images[idx].astype(np.float32) / 16.0
y = data.target[idx]
X_train, y_train = torch.tensor(X[:1400]), torch.tensor(y[:1400])
"""),
        # the same, through tensors: from_numpy, float(), to(device), a reshape and a copy
        Valid(HEADER + """
perm = torch.randperm(len(X))
features = torch.from_numpy(X)[perm].float().to("cpu").reshape(len(X), -1) * 2 - 1
targets = torch.from_numpy(y)[perm].long().clone()
train_set = TensorDataset(features, targets)
"""),
        # a per-epoch permutation used to index both batches
        Valid(HEADER + """
for epoch in range(10):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 32):
        xb, yb = X[perm[i:i + 32]], y[perm[i:i + 32]]
        model.train_on_batch(xb, yb)
"""),
    ]

    INVALID = [
        # the seed's mistake: two calls to shuffle, two orders
        Invalid(HEADER + """
np.random.shuffle(X)
np.random.shuffle(y)  # FIT103
train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
"""),
        # two different permutations
        Invalid(HEADER + """
X = X[np.random.permutation(len(X))]
y = y[np.random.permutation(len(y))]  # FIT103
"""),
        # two permutations hidden behind a cast and a scaling
        Invalid("""
import numpy as np
import torch
from sklearn.datasets import load_digits
data = load_digits()
X = data.images[np.random.permutation(len(data.images))].astype(np.float32) / 16.0
y = data.target[np.random.permutation(len(data.target))]  # FIT103
train_set = torch.utils.data.TensorDataset(torch.tensor(X), torch.tensor(y))
"""),
        # torch.randperm twice
        Invalid(HEADER + """
x_train = torch.from_numpy(X)
y_train = torch.from_numpy(y)
idx_x = torch.randperm(len(x_train))
idx_y = torch.randperm(len(y_train))
x_train = x_train[idx_x]
y_train = y_train[idx_y]  # FIT103
train_set = TensorDataset(x_train, y_train)
"""),
        # one seeded generator drawn from twice: two different orders
        Invalid(HEADER + """
rng = np.random.default_rng(0)
rng.shuffle(X)
rng.shuffle(y)  # FIT103
"""),
        # only the images are shuffled, the labels keep their order
        Invalid("""
import random
import numpy as np
import torch
images = [np.load(path) for path in paths]
labels = [int(path.split("_")[0]) for path in paths]
random.shuffle(images)  # FIT103
train_data = list(zip(images, labels))
"""),
        # a features frame sampled, the labels series not
        Invalid("""
import pandas as pd
from sklearn.model_selection import train_test_split
df = pd.read_csv("data.csv")
features = df.drop(columns=["label"])
labels = df["label"]
features = features.sample(frac=1)  # FIT103
X_train, X_val, y_train, y_val = train_test_split(features, labels, test_size=0.2)
"""),
        # shuffled separately at the top of every epoch
        Invalid(HEADER + """
def train(model, X_train, y_train, epochs):
    for epoch in range(epochs):
        np.random.shuffle(X_train)
        np.random.shuffle(y_train)  # FIT103
        for i in range(0, len(X_train), 32):
            model.train_on_batch(X_train[i:i + 32], y_train[i:i + 32])
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        by_function: dict[int, list[Reorder]] = {}
        for reorder in reorders(script):
            by_function.setdefault(id(reorder.function), []).append(reorder)
        control_file = _CONTROL_FILE.search(script.lowered) is not None
        for function in script.functions:
            found = by_function.get(id(function))
            if not found or _per_sample_function(function):
                continue
            yield from _check_function(script, function, found, control_file)


def _check_function(script: Script, function: FunctionInfo, found: list[Reorder],
                    control_file: bool) -> Iterator[Report]:
    stores = script.stores(function)
    events: dict[str, list[Reorder]] = {}
    for reorder in found:
        if not _reorders_data(script, reorder):
            continue
        for target in reorder.targets:
            if _element_of_loop(function, target, reorder):
                continue  # one element of a collection: per-sample
            sequence = events.setdefault(target, [])
            if any(event.permutation == reorder.permutation for event in sequence):
                continue  # `X = X[np.random.permutation(n)]` is one reordering, seen twice
            sequence.append(reorder)
    reported: set[int] = set()
    uses = list(_pairs(script, function, set(events)))
    # both reordered and named as a pair: misaligned whether or not the use is visible here
    end = _AFTER_ALL
    names = sorted(events)
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if _names_pair(a, b) or _names_pair(b, a):
                uses.append((a, b, end, _paired_by_names(a, b)))
    for a, b, use, basis in uses:
        first = [event for event in events.get(a, []) if event.order < use]
        second = [event for event in events.get(b, []) if event.order < use]
        if use == end and not (first and second):
            continue
        report = _misaligned(script, stores, a, first, b, second, use, control_file)
        if report is None or id(report[0].node) in reported:
            continue
        event, other, partner = report
        reported.add(id(event.node))
        yield Report(event.node, _message(event, other, partner), basis=basis)


def _misaligned(script: Script, stores: list[Store], a: str, first: list[Reorder], b: str,
                second: list[Reorder], use: int, control_file: bool):
    """The event where ``a`` and ``b`` stop being in the same order, with the other side's event
    (or None) and the partner's name."""
    for x, y in zip(first, second):
        if not same_random_order(script, x, y):
            later, other = (y, x) if y.order > x.order else (x, y)
            return later, other, a if later is y else b
    if len(first) == len(second):
        return None
    if len(first) > len(second):
        name, event, partner = a, first[len(second)], b
    else:
        name, event, partner = b, second[len(first)], a
    if _stored_between(stores, partner, event.order, use) or _stored_between(stores, name, event.order, use, skip=event):
        return None  # re-derived in between (`y = y.loc[X.index]`, `y = y[perm]` in another form)
    if _is_control(event, name, control_file):
        return None
    return event, None, partner


def _reorders_data(script: Script, reorder: Reorder) -> bool:
    """A random index order (`perm = torch.randperm(n)`) is not data; `np.random.permutation(y)`
    and `X = X[rng.permutation(len(X))]` are."""
    if reorder.how != "permutation":
        return True
    call = reorder.node
    if type(call) is cst.Call and call.args:
        root = _data_root(script, call.args[0].value)
        if root is not None and words_of(root.rsplit(".", 1)[-1]) & (_FEATURE_WORDS | _LABEL_WORDS):
            return True
    site = script.site_of(call)
    statement = site.statement if site is not None else None
    if type(statement) is cst.SimpleStatementLine and len(statement.body) == 1:
        assign = statement.body[0]
        return type(assign) is cst.Assign and type(assign.value) is cst.Subscript
    return False


def _is_control(event: Reorder, name: str, control_file: bool) -> bool:
    """A labels-only shuffle meant as a random-label baseline."""
    if not (words_of(name) & _LABEL_WORDS):
        return False
    if control_file:
        return True
    sources = {dotted(arg.value) for arg in event.node.args} if type(event.node) is cst.Call else set()
    return name not in sources and bool(words_of(name) & _CONTROL_WORDS)


def _message(event: Reorder, other: Reorder | None, partner: str) -> str:
    here = code_of(event.node)
    names = "/".join(event.targets)
    if other is None:
        return (f"`{here}` puts `{names}` in random order but `{partner}` keeps its order, and the two "
                f"are used together afterwards: {CONSEQUENCE}; {ADVICE}")
    if other.node is event.node:  # one shuffle written once, run for each array (a loop, a helper)
        first, second = sorted((partner, names))
        return (f"`{here}` draws a new random order for each array it is run on, so `{first}` and "
                f"`{second}` end up in two different random orders: {CONSEQUENCE}; {ADVICE}")
    return (f"`{code_of(other.node)}` and `{here}` put `{partner}` and `{names}` in two different "
            f"random orders: {CONSEQUENCE}; {ADVICE}")


_AFTER_ALL = 1 << 30  # an order after every statement of the function


def _stored_between(stores: list[Store], name: str, start: int, end: int, skip: Reorder | None = None) -> bool:
    """``name`` is written between the two orders (by another statement than ``skip``'s)."""
    return any(
        start < store.order < end and store.name == name
        and not (skip is not None and contains(store.statement, skip.node))
        for store in stores
    )


def _element_of_loop(function: FunctionInfo, target: str, reorder: Reorder) -> bool:
    """The reorder happens inside a loop that binds ``target`` (``for seq in batch:
    random.shuffle(seq)``): one element of a collection, not a data set. A name a later loop
    reuses (``for x, labels in loader``) is still the data set where it is shuffled."""
    return any(
        loop.order < reorder.order < loop.end_order and target in {dotted(node) for node in references(loop.target)}
        for loop in function.loops
    )


def _per_sample_function(function: FunctionInfo) -> bool:
    return any(
        scope.name in _PER_SAMPLE_METHODS or _PER_SAMPLE_FUNCTION.search(scope.name)
        for scope in function.scopes() if not scope.is_module
    )


# which names are used together ----------------------------------------------------------------
def _pairs(script: Script, function: FunctionInfo, reordered: set[str]):
    """(a, b, position, basis) for each later use of a reordered name side by side with another: both
    passed to one call (a pairing call, or any call when the names pair as features / labels), or
    both in one tuple (`validation_data=(X, y)`, `return X, y`) when the names pair or the two
    lists were filled in one loop (`paths.append(p); labels.append(idx)`: row i of each is one
    sample)."""
    for site in function.calls:
        index, call = site.order, site.node
        if sum(1 for arg in call.args if not arg.star and type(arg.value) is not cst.SimpleString) < 2:
            continue  # nothing to pair
        roots = [_data_root(script, arg.value) for arg in _sample_arguments(script, call, function)]
        method = (dotted(call.func) or "").rsplit(".", 1)[-1]
        pairing = method in _PAIRING_CALLS or method in script.classes
        if pairing:
            # `TensorDataset(x_train, y_train)` pairs what x_train and y_train were cut from
            roots = [_reordered_origin(script, function, root, reordered) for root in roots]
        yield from _pairs_among(roots, index, reordered, pairing)
    for index, node in function.tuples:
        roots = [_data_root(script, element.value) for element in node.elements]
        yield from _pairs_among(roots, index, reordered, False)
        filled = {name: {id(site.loop) for _, site in function.items_added_to(name) if site.loop is not None}
                  for name in roots if name is not None and "." not in name}
        for a in reordered & filled.keys():
            yield from ((a, b, index, RESOLVED) for b in filled if b != a and filled[a] & filled[b])


def _sample_arguments(script: Script, call: cst.Call, function: FunctionInfo) -> list[cst.Arg]:
    """The arguments of a call that may carry samples: not a setting (`augment=True`, `max_len`,
    a folder: `CarvanaDataset(paths[n:], MASK_DIR)`), not the transform, the tokenizer or the
    vocabulary handed beside the samples; and where some argument is cut by rows
    (`ReviewDataset(rows[:cut], ...)`), only the arguments cut alike."""
    transform = transform_arg(script, call)
    found = [arg for arg in call.args
             if not arg.star and literal(arg.value) is ... and arg.value is not transform
             and not (words_of(dotted(arg.value)) & _NOT_SAMPLE_WORDS)
             and not (type(arg.value) is cst.Name and holds_a_setting(script, arg.value.value, function))]
    cut = [arg for arg in found if _row_cut(script, arg.value, function)]
    return cut if cut else found


def _row_cut(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    """`rows[:cut]`, `X[train_idx]` (under row-keeping steps), or a name bound once to a slice of
    rows (`train_df = df.iloc[n_val:]`): rows taken from the data."""
    expr = rows_of(script, expr)
    if type(expr) is cst.Name:
        bindings = function.bindings.get(expr.value, [])
        bound = rows_of(script, bindings[0].value) if len(bindings) == 1 else None
        return (type(bound) is cst.Subscript and type(bound.value) is not cst.Call and len(bound.slice) == 1
                and type(bound.slice[0].slice) is cst.Slice)
    return type(expr) is cst.Subscript and type(expr.value) is not cst.Call


# objects handed to a dataset beside its samples: settings (`args.img_root`, `cfg.data_dir`), one
# folder or file, a tokenizer, a transform
_NOT_SAMPLE_WORDS = frozenset({
    "tokenizer", "transform", "transforms", "tfms", "vocab", "vocabulary", "processor", "config", "cfg",
    "args", "opt", "opts", "device", "model", "root", "dir", "directory", "folder", "path", "file", "filename",
})


def _reordered_origin(script: Script, function: FunctionInfo, root: str | None, reordered: set[str]) -> str | None:
    """The reordered name a name's rows come from, following its one assignment in the function
    (`x_train = torch.from_numpy(features[:n])` -> `features`); the name itself otherwise."""
    name = root
    for _ in range(MAX_ORIGIN_HOPS):
        if name is None or name in reordered:
            return name or root
        assignments = function.bindings.get(name, [])
        if len(assignments) != 1:
            return root
        name = _data_root(script, assignments[0].value)
    return root


def _pairs_among(roots: list[str | None], index: int, reordered: set[str], pairing: bool):
    names = [root for root in roots if root is not None]
    if pairing and len(reordered.intersection(names)) >= 2:
        # `evaluate(train_x, train_y, model)` after `train_x, train_y = train_x[p], train_y[p]`: the
        # reordered arguments are the pair; an argument never reordered (the model) is not data
        names = [name for name in names if name in reordered]
    for i, a in enumerate(names):
        for b in names[i + 1:]:
            if a == b or not ({a, b} & reordered):
                continue
            if pairing:
                yield a, b, index, RESOLVED
            elif _names_pair(a, b) or _names_pair(b, a):
                yield a, b, index, _paired_by_names(a, b)


def _paired_by_names(a: str, b: str) -> Basis:
    return guessed(f"`{a}` and `{b}` taken for features and labels of the same samples by their names")


def _data_root(script: Script, expr: cst.BaseExpression) -> str | None:
    """The array a call argument carries: `torch.from_numpy(X[:n]).float()` -> `X`."""
    for _ in range(8):
        expr = rows_of(script, expr)
        if type(expr) is cst.Subscript:
            if len(expr.slice) != 1 or type(expr.slice[0].slice) is not cst.Slice:
                return None
            expr = expr.value
        elif type(expr) is cst.Attribute and expr.attr.value in ("values", "data", "T", "iloc", "loc"):
            expr = expr.value
        else:
            break
    return dotted(expr)


def _names_pair(features: str, labels: str) -> bool:
    """`X_train` / `y_train`, `images` / `labels`, `data` / `target`, `self.x` / `self.y`."""
    a, b = words_of(features.rsplit(".", 1)[-1]), words_of(labels.rsplit(".", 1)[-1])
    if not (b & _LABEL_WORDS) or a & _LABEL_WORDS or not a & _FEATURE_WORDS:
        return False
    if ("x" in a) != ("y" in b):
        return False  # `x` goes with `y`, `images` with `labels`, not `X` with `target`
    return a - _FEATURE_WORDS - _SPLIT_WORDS == b - _LABEL_WORDS - _SPLIT_WORDS and a & _SPLIT_WORDS == b & _SPLIT_WORDS
