from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.analysis.data import Split, data_split, split_from_name
from fitlint.findings import Severity
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, FunctionInfo, LoopInfo, Script, call_arg, dotted, literal, short_code, walk

HEADER = """\
import copy
import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, random_split

model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
trainset = torchvision.datasets.CIFAR10("./data", train=True, transform=transforms.ToTensor())
testset = torchvision.datasets.CIFAR10("./data", train=False, transform=transforms.ToTensor())
test_loader = DataLoader(testset, batch_size=256)


def train_one_epoch(loader):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


def evaluate(loader):
    model.eval()
    correct = total = 0
    loss = 0.0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            loss += criterion(out, y).item()
            correct += (out.argmax(1) == y).sum().item()
            total += y.size(0)
    return loss / len(loader), correct / total
"""

VAL_SPLIT = """
train_part, val_part = random_split(trainset, [45000, 5000])
train_loader = DataLoader(train_part, batch_size=128, shuffle=True)
val_loader = DataLoader(val_part, batch_size=256)
"""

TRAIN_ONLY = """
train_loader = DataLoader(trainset, batch_size=128, shuffle=True)
"""

CONSEQUENCE = (
    "the test accuracy you report is then the best of many tries on the test set: an optimistic "
    "estimate of how the model does on new data"
)
ADVICE = (
    "hold out a validation split from the training data (`random_split` of the training set) to "
    "choose on, and evaluate the test set once at the end"
)

# Names that hold the best value so far.
_BEST = re.compile(
    r"best|^(?:min|max|lowest|highest|top)_?(?:val|valid|test)?_?(?:loss|acc|err|error|score|metric|f1|auc)",
    re.IGNORECASE,
)
# Names of an early-stopping counter or flag.
_COUNTER = re.compile(
    r"patience|counter|no_?improv|not_?improv|^wait$|_wait$|bad_?epoch|stale|early_?stop|trigger|stop",
    re.IGNORECASE,
)
# Names that hold a copy of the chosen weights.
_KEPT = re.compile(r"best_?(?:model|net|state|weights|wts|params|ckpt|checkpoint)", re.IGNORECASE)
_SAVE_NAME = re.compile(r"save|checkpoint|ckpt", re.IGNORECASE)
_NOT_SAVE = re.compile(r"savetxt|savefig|save_image|savez|save_pred|save_result|save_log|save_fig|save_plot",
                       re.IGNORECASE)
_NOT_SAVE_ROOTS = ("numpy", "np", "matplotlib", "plt", "pandas", "pd", "PIL", "cv2", "imageio", "json", "scipy")
_DATA_NAME = re.compile(r"loader|set|data|ds|dl|iter|batch|gen|^x_|_x$|^y_|_y$|^x$|^y$", re.IGNORECASE)
# Words one of the patterns needs somewhere in the file (checked on the lower-cased source).
_PREFILTER = ("best", "patience", "earlystop", "early_stop", "plateau", "improv", "lowest", "min_", "monitor")
_MAX_DEPTH = 5
_BEST_WORDS = ("best", "lowest", "min_", "max_", "highest", "top_")


class ModelSelectedOnTestSet(Rule):
    """
    ## What it does
    Flags a best checkpoint, early stopping or a plateau scheduler driven by a metric computed on
    the test split:

    - a comparison with the best value so far (`acc > best_acc`, `loss < best_loss`, `is_best =
      acc1 > best_acc1`) that guards a `torch.save` / `save_checkpoint`, a copy of the weights
      (`state_dict()`, `copy.deepcopy(model)`, `best_model = ...`) or an early-stopping counter
      (`patience`, `epochs_no_improve`, `early_stop`);
    - `ReduceLROnPlateau.step(test_loss)`; an `EarlyStopping` object called with a test metric;
      Keras' `fit(..., validation_data=(x_test, y_test))` with `EarlyStopping` /
      `ModelCheckpoint(save_best_only=True)` / `ReduceLROnPlateau` callbacks.

    The metric counts as a test metric when the analysis traces it to the test split: a loop over
    the test loader in the same function (`correct += ...` inside `for ... in testloader`), or the
    result of an evaluation called with the test loader (`acc = evaluate(model, test_loader)`), or
    a function that only walks the test loader (`acc = test(epoch)`). A dataset built with
    `train=False` is the test split (torchvision's CIFAR and MNIST `train=False` is the official
    test set) even when its loader is called `val_loader`; otherwise names decide (`test_loader`,
    `test_acc`). A metric traced to a validation split, or to both, is left alone.

    It deliberately does not flag keeping the best test accuracy only for reporting
    (`best_test_acc = max(best_test_acc, acc)` and a print, with nothing saved or stopped on it):
    nothing is selected, and the final model is the last one. Saving every epoch unconditionally
    is not a selection either.

    ## Why is this bad?
    Choosing the epoch whose test accuracy is highest is training on the test set, one bit at a
    time: of N checkpoints, the one kept is the one that happened to fit the test set's particular
    samples best, and the number reported is the maximum of N noisy measurements, higher than the
    accuracy the same model will have on new data. The common CIFAR training script (the seed's
    `test(epoch)`, which saves `ckpt.pth` whenever `acc > best_acc` on `testloader`) does exactly
    this; so does early stopping or a learning-rate plateau decided on test loss. The gap is
    usually small on CIFAR-10's 10,000 test images and large on small test sets, where it can
    change which method "wins".

    ## Example
    ```python
    for epoch in range(epochs):
        train(epoch)
        acc = evaluate(model, test_loader)  # CIFAR10(train=False)
        if acc > best_acc:
            best_acc = acc
            torch.save(model.state_dict(), "best.pt")
    ```

    ## Use instead
    ```python
    train_part, val_part = random_split(trainset, [45000, 5000])
    ...
    for epoch in range(epochs):
        train(epoch)
        val_acc = evaluate(model, val_loader)
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save(model.state_dict(), "best.pt")
    model.load_state_dict(torch.load("best.pt"))
    test_acc = evaluate(model, test_loader)  # once, at the end
    ```

    ## References
    - https://scikit-learn.org/stable/modules/cross_validation.html ("the test set should still be
      held out for final evaluation")
    - Cawley & Talbot, "On Over-fitting in Model Selection and Subsequent Selection Bias in
      Performance Evaluation", JMLR 11 (2010).
    - The seed document (../shared/seed/): its CIFAR script saves the checkpoint with the best
      test accuracy.
    """

    code = "FIT601"
    name = "model-selected-on-test-set"
    severity = Severity.WARNING

    VALID = [
        # the best checkpoint chosen on a validation split carved from the training data; test once at the end
        Valid(HEADER + VAL_SPLIT + """
best_acc = 0.0
for epoch in range(30):
    train_one_epoch(train_loader)
    val_loss, val_acc = evaluate(val_loader)
    if val_acc > best_acc:
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")
model.load_state_dict(torch.load("best.pt"))
test_loss, test_acc = evaluate(test_loader)
print(f"test accuracy {test_acc:.3f}")
"""),
        # early stopping on validation loss
        Valid(HEADER + VAL_SPLIT + """
best_loss, bad_epochs = float("inf"), 0
for epoch in range(100):
    train_one_epoch(train_loader)
    val_loss, _ = evaluate(val_loader)
    if val_loss < best_loss:
        best_loss, bad_epochs = val_loss, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad_epochs += 1
        if bad_epochs >= 10:
            break
"""),
        # saving every epoch unconditionally: no selection
        Valid(HEADER + TRAIN_ONLY + """
for epoch in range(30):
    train_one_epoch(train_loader)
    loss, acc = evaluate(test_loader)
    print(f"epoch {epoch}: test accuracy {acc:.3f}")
    torch.save(model.state_dict(), f"epoch{epoch}.pth")
"""),
        # the best test accuracy kept only for reporting: nothing saved or stopped on it
        Valid(HEADER + TRAIN_ONLY + """
best_test_acc = 0.0
for epoch in range(30):
    train_one_epoch(train_loader)
    _, acc = evaluate(test_loader)
    if acc > best_test_acc:
        best_test_acc = acc
        print(f"new best test accuracy {acc:.3f}")
"""),
        # ReduceLROnPlateau on the validation loss
        Valid(HEADER + VAL_SPLIT + """
scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, "min", patience=3)
for epoch in range(30):
    train_one_epoch(train_loader)
    val_loss, _ = evaluate(val_loader)
    scheduler.step(val_loss)
"""),
        # a val_loader over a proper train=True subset, evaluated in the same function as the test loader
        Valid(HEADER + VAL_SPLIT + """
def run(epochs):
    best = 0.0
    for epoch in range(epochs):
        train_one_epoch(train_loader)
        _, val_acc = evaluate(val_loader)
        _, test_acc = evaluate(test_loader)
        print(f"val {val_acc:.3f} test {test_acc:.3f}")
        if val_acc > best:
            best = val_acc
            torch.save(model.state_dict(), "best.pt")
"""),
        # Keras-style validation_data from a held-out validation split
        Valid("""
from tensorflow import keras
from sklearn.model_selection import train_test_split
x_tr, x_val, y_tr, y_val = train_test_split(x_train, y_train, test_size=0.1)
model.fit(x_tr, y_tr, epochs=50, validation_data=(x_val, y_val),
          callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
model.evaluate(x_test, y_test)
"""),
        # the transfer-learning tutorial: one loop over both phases, selection guarded by phase == "val"
        Valid(HEADER + """
dataloaders = {"train": DataLoader(trainset, batch_size=64, shuffle=True), "val": test_loader}
best_acc = 0.0
for epoch in range(25):
    for phase in ["train", "val"]:
        running_corrects = 0
        for inputs, labels in dataloaders[phase]:
            outputs = model(inputs)
            running_corrects += (outputs.argmax(1) == labels).sum().item()
        epoch_acc = running_corrects / len(dataloaders[phase].dataset)
        if phase == "val" and epoch_acc > best_acc:
            best_acc = epoch_acc
            best_model_wts = copy.deepcopy(model.state_dict())
"""),
        # a metric of unknown origin: silent
        Valid(HEADER + """
best_acc = 0.0
for epoch in range(30):
    acc = compute_metric(model)
    if acc > best_acc:
        best_acc = acc
        torch.save(model.state_dict(), "best.pt")
"""),
    ]

    INVALID = [
        # the seed's CIFAR script: test(epoch) over testloader saves whenever acc > best_acc
        Invalid(HEADER + TRAIN_ONLY + """
best_acc = 0


def test(epoch):
    global best_acc
    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for inputs, targets in test_loader:
            outputs = model(inputs)
            _, predicted = outputs.max(1)
            total += targets.size(0)
            correct += predicted.eq(targets).sum().item()
    acc = 100. * correct / total
    if acc > best_acc:  # FIT601
        state = {"net": model.state_dict(), "acc": acc, "epoch": epoch}
        torch.save(state, "./checkpoint/ckpt.pth")
        best_acc = acc


for epoch in range(200):
    train_one_epoch(train_loader)
    test(epoch)
"""),
        # the result of an evaluation on the test loader picks the checkpoint
        Invalid(HEADER + TRAIN_ONLY + """
best_acc = 0.0
for epoch in range(30):
    train_one_epoch(train_loader)
    test_loss, test_acc = evaluate(test_loader)
    if test_acc > best_acc:  # FIT601
        best_acc = test_acc
        best_model = copy.deepcopy(model)
"""),
        # a loader named val_loader over the official test split (train=False)
        Invalid(HEADER + """
train_loader = DataLoader(trainset, batch_size=128, shuffle=True)
val_set = torchvision.datasets.CIFAR10("./data", train=False, transform=transforms.ToTensor())
val_loader = DataLoader(val_set, batch_size=256)
best_loss, epochs_no_improve = float("inf"), 0
for epoch in range(100):
    train_one_epoch(train_loader)
    val_loss, _ = evaluate(val_loader)
    if val_loss < best_loss:  # FIT601
        best_loss = val_loss
        epochs_no_improve = 0
    else:
        epochs_no_improve += 1
    if epochs_no_improve == 10:
        break
"""),
        # a plateau scheduler driven by the test loss
        Invalid(HEADER + TRAIN_ONLY + """
scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, "min", patience=3)
for epoch in range(30):
    train_one_epoch(train_loader)
    test_loss, test_acc = evaluate(test_loader)
    scheduler.step(test_loss)  # FIT601
"""),
        # ImageNet-example style: is_best decides which checkpoint is copied to model_best.pth
        Invalid(HEADER + TRAIN_ONLY + """
import shutil

def save_checkpoint(state, is_best, filename="checkpoint.pth.tar"):
    torch.save(state, filename)
    if is_best:
        shutil.copyfile(filename, "model_best.pth.tar")

best_acc1 = 0
for epoch in range(90):
    train_one_epoch(train_loader)
    _, acc1 = evaluate(test_loader)
    is_best = acc1 > best_acc1  # FIT601
    best_acc1 = max(acc1, best_acc1)
    save_checkpoint({"epoch": epoch + 1, "state_dict": model.state_dict()}, is_best)
"""),
        # an EarlyStopping helper object fed the test loss
        Invalid(HEADER + TRAIN_ONLY + """
class EarlyStopping:
    def __init__(self, patience=7):
        self.patience, self.counter, self.best_score, self.early_stop = patience, 0, None, False
    def __call__(self, val_loss, model):
        score = -val_loss
        if self.best_score is None or score > self.best_score:
            self.best_score, self.counter = score, 0
        else:
            self.counter += 1
            self.early_stop = self.counter >= self.patience

early_stopping = EarlyStopping(patience=20)
for epoch in range(200):
    train_one_epoch(train_loader)
    test_loss, _ = evaluate(test_loader)
    early_stopping(test_loss, model)  # FIT601
    if early_stopping.early_stop:
        break
"""),
        # a dict of loaders: the test entry walked in the epoch loop picks the checkpoint
        Invalid(HEADER + """
loaders = {"train": DataLoader(trainset, batch_size=128, shuffle=True), "test": test_loader}
best = 0.0
for epoch in range(20):
    train_one_epoch(loaders["train"])
    model.eval()
    hits = 0
    with torch.no_grad():
        for x, y in loaders["test"]:
            hits += (model(x).argmax(1) == y).sum().item()
    acc = hits / len(testset)
    if acc > best:  # FIT601
        best = acc
        torch.save(model.state_dict(), "best.pt")
"""),
        # Keras: early stopping on the test arrays
        Invalid("""
from tensorflow import keras
(x_train, y_train), (x_test, y_test) = keras.datasets.cifar10.load_data()
model.fit(x_train, y_train, epochs=50, validation_data=(x_test, y_test),  # FIT601
          callbacks=[keras.callbacks.EarlyStopping(patience=5, restore_best_weights=True)])
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        source = script.lowered
        if not any(word in source for word in _PREFILTER):
            return
        tracer = _Tracer(script)
        reports = [
            *(_best_comparisons(script, tracer) if any(word in source for word in _BEST_WORDS) else ()),
            *_plateau_and_stoppers(script, tracer, "earlystop" in source or "early_stop" in source),
            *_fit_wrappers(script, tracer),
            *_lightning_validation_hooks(script, tracer),
        ]
        seen: set[int] = set()
        for report in reports:  # an early-stopping call is found as a stopper and through its comparison
            if id(report.node) not in seen:
                seen.add(id(report.node))
                yield report


# where a value comes from ------------------------------------------------------------------------
class _Tracer:
    """Traces a metric to the split it was computed on (cached per expression)."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self._cache: dict[tuple[int, int], tuple[Split, ...]] = {}
        self._aug_by_function: dict[int, list] = {}
        for aug in script.aug_assigns:
            self._aug_by_function.setdefault(id(aug.function), []).append(aug)

    def test_evidence(self, expr: cst.BaseExpression, function: FunctionInfo) -> Split | None:
        """The evidence that ``expr`` is a test metric, when every split it traces to is the test split."""
        found = self.metric(expr, function, 0)
        splits = {evidence.name for evidence in found}
        if splits == {"test"}:
            return found[0]
        return None

    # metrics
    def metric(self, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> tuple[Split, ...]:
        key = (id(expr), id(function))
        if key in self._cache:
            return self._cache[key]
        self._cache[key] = ()
        found = tuple(self._metric(expr, function, depth)) if depth <= _MAX_DEPTH else ()
        self._cache[key] = found
        return found

    def _metric(self, expr: cst.BaseExpression, function: FunctionInfo, depth: int) -> list[Split]:
        script = self.script
        if isinstance(expr, cst.Name | cst.Attribute):
            data = self.data(expr, function) if _looks_like_data(expr) else None
            if data is not None:
                return [data]
            if isinstance(expr, cst.Attribute) and dotted(expr.value) != "self":
                return list(self.metric(expr.value, function, depth + 1))
            return self._name(expr, function, depth)
        if isinstance(expr, cst.Subscript):
            return list(self.metric(expr.value, function, depth + 1))
        if isinstance(expr, cst.Call):
            return self._call(expr, function, depth)
        out: list[Split] = []
        for name in _names_in(expr):
            out += self.metric(name, function, depth + 1)
        return out

    def _name(self, expr: cst.Name | cst.Attribute, function: FunctionInfo, depth: int) -> list[Split]:
        script = self.script
        out: list[Split] = []
        for bound in script.values(expr, function):
            if bound.expr is not expr:
                out += self.metric(bound.expr, bound.function, depth + 1)
        name = dotted(expr) or ""
        counted = self._counted_in_loops(name, function)
        out += counted
        if not out:
            role = split_from_name(name)
            if role in ("val", "test") and "train" not in name.lower():
                out.append(Split(role, f"`{name}`"))
        return out

    def _counted_in_loops(self, name: str, function: FunctionInfo) -> list[Split]:
        """``correct += ...`` inside ``for ... in testloader``: the split of the loop."""
        out = []
        scope: FunctionInfo | None = function
        while scope is not None:
            for aug in self._aug_by_function.get(id(scope), ()):
                if aug.loop is not None and dotted(aug.target) == name:
                    evidence = self.loop(aug.loop)
                    if evidence is not None:
                        out.append(evidence)
            if out or name in scope.bindings or name in scope.params:
                break
            scope = scope.parent
        return out

    def loop(self, loop: LoopInfo) -> Split | None:
        current: LoopInfo | None = loop
        while current is not None:
            source = self.script.loop_source(current)
            if source is not None:
                found = self.data(source, current.function)
                if found is not None:
                    return found
            current = current.parent
        return None

    def _call(self, call: cst.Call, function: FunctionInfo, depth: int) -> list[Split]:
        script = self.script
        out: list[Split] = []
        for arg in call.args:
            if arg.star:
                continue
            data = self.data(arg.value, function) if _looks_like_data(arg.value) else None
            if data is not None:
                out.append(data)
        if out:
            return out
        site = script.site_of(call)
        target = script.callee(site) if site is not None else None
        if target is not None:
            for loop in target.loops:
                if script.loop_trains(loop):
                    continue
                evidence = self.loop(loop)
                if evidence is not None:
                    out.append(evidence)
            if out:
                return out
            for returned in target.returns:
                out += self.metric(returned, target, depth + 1)
            return out
        # a metric passed through a function: float(acc), round(acc, 2), acc.item(), np.mean(accs)
        for arg in call.args:
            if not arg.star:
                out += self.metric(arg.value, function, depth + 1)
        if isinstance(call.func, cst.Attribute):
            out += self.metric(call.func.value, function, depth)  # a method chain is one value
        return out

    def data(self, expr: cst.BaseExpression, function: FunctionInfo) -> Split | None:
        return data_split(self.script, expr, function)


def _looks_like_data(expr: cst.BaseExpression) -> bool:
    name = dotted(expr)
    if name is None:
        return False
    return bool(_DATA_NAME.search(name.rsplit(".", 1)[-1]))


class _Names:
    def __init__(self) -> None:
        self.found: list[cst.BaseExpression] = []

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        if dotted(node) is not None:
            self.found.append(node)
            return False
        return True

    def visit_Name(self, node: cst.Name) -> None:
        self.found.append(node)

    def visit_Call(self, node: cst.Call) -> bool:
        self.found.append(node)
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _names_in(expr: cst.BaseExpression) -> list[cst.BaseExpression]:
    collector = _Names()
    walk(expr, collector)
    return collector.found


# best-so-far comparisons ---------------------------------------------------------------------------
class _Body:
    """What an `if` body does: saves, copies weights, counts towards early stopping."""

    def __init__(self, script: Script) -> None:
        self.script = script
        self.actions: set[str] = set()

    @property
    def action(self) -> str | None:
        return next((action for action in ("save", "keep", "stop") if action in self.actions), None)

    def visit_Call(self, node: cst.Call) -> None:
        action = _call_action(self.script, node)
        if action is not None:
            self.actions.add(action)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, cst.Tuple | cst.List):
            names = [dotted(element.value) for element in target.elements]
        else:
            names = [dotted(target)]
        for name in filter(None, names):
            last = name.rsplit(".", 1)[-1]
            if _KEPT.search(last):
                self.actions.add("keep")
            elif _COUNTER.search(last):
                self.actions.add("stop")

    def visit_Break(self, node: cst.Break) -> None:
        self.actions.add("stop")

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


def _call_action(script: Script, call: cst.Call) -> str | None:
    name = dotted(call.func) or ""
    qualname = script.qualname(call.func) or ""
    last = name.rsplit(".", 1)[-1]
    if qualname == "torch.save":
        return "save"
    if last == "state_dict" or last == "deepcopy":
        return "keep"
    if name.split(".", 1)[0] in _NOT_SAVE_ROOTS or qualname.split(".", 1)[0] in _NOT_SAVE_ROOTS:
        return None
    if _SAVE_NAME.search(last) and not _NOT_SAVE.search(last):
        return "save"
    return None


def _body_action(script: Script, node: cst.CSTNode, counters_only: bool = False) -> str | None:
    body = _Body(script)
    walk(node, body)
    if counters_only and body.action != "stop":
        return None
    return body.action


def _best_sides(comparison: cst.Comparison) -> cst.BaseExpression | None:
    """The metric side of ``metric > best`` / ``best < metric``; None when neither side is a best-so-far."""
    if len(comparison.comparisons) != 1:
        return None
    target = comparison.comparisons[0]
    if not isinstance(target.operator, cst.GreaterThan | cst.LessThan | cst.GreaterThanEqual | cst.LessThanEqual):
        return None
    left, right = comparison.left, target.comparator
    left_best, right_best = _is_best(left), _is_best(right)
    if left_best == right_best:
        return None
    metric = right if left_best else left
    if literal(metric) is not ...:
        return None
    return metric


def _is_best(expr: cst.BaseExpression) -> bool:
    if isinstance(expr, cst.BinaryOperation):  # best_acc + min_delta
        return _is_best(expr.left) or _is_best(expr.right)
    name = dotted(expr)
    return name is not None and bool(_BEST.search(name.rsplit(".", 1)[-1]))


class _Comparisons:
    def __init__(self) -> None:
        self.found: list[cst.Comparison] = []

    def visit_Comparison(self, node: cst.Comparison) -> bool:
        self.found.append(node)
        return False

    def visit_Call(self, node: cst.Call) -> bool:
        return False


_ACTIONS = {
    "save": ("the checkpoint is saved when `{metric}` improves", "the checkpoint is chosen by test {measure}"),
    "keep": ("the weights are kept when `{metric}` improves", "the checkpoint is chosen by test {measure}"),
    "stop": ("early stopping counts the epochs without improvement of `{metric}`",
             "the stopping epoch is chosen by test {measure}"),
    "plateau": ("the learning rate is reduced when `{metric}` stops improving",
                "the learning-rate schedule is tuned on test {measure}"),
    "stopper": ("early stopping is decided on `{metric}`", "the stopping epoch is chosen by test {measure}"),
}


def message(metric: cst.BaseExpression, evidence: Split, action: str) -> str:
    measure = "loss" if "loss" in short_code(metric).lower() else "accuracy"
    done, chosen = _ACTIONS[action]
    return (f"{done.format(metric=short_code(metric))}, computed on the test split ({evidence.text}): "
            f"{chosen.format(measure=measure)}, so {CONSEQUENCE}; {ADVICE}")


def _best_comparisons(script: Script, tracer: _Tracer) -> Iterator[Report]:
    flags = {}
    for assignment in script.assigns:
        if isinstance(assignment.value, cst.Comparison) and _best_sides(assignment.value) is not None:
            flags.setdefault((id(assignment.function), assignment.target), []).append(
                (assignment.value, assignment.statement))
    reported: set[int] = set()
    for node, function in script.ifs:
        collector = _Comparisons()
        walk(node.test, collector)
        candidates = [(c, node) for c in collector.found]
        test_name = dotted(node.test)
        if test_name is not None:
            candidates += flags.get((id(function), test_name), [])
        for comparison, statement in candidates:
            metric = _best_sides(comparison)
            if metric is None or id(comparison) in reported:
                continue
            action = _body_action(script, node.body)
            if action is None and node.orelse is not None:
                action = _body_action(script, node.orelse, counters_only=True)
            if action is None:
                continue
            reported.add(id(comparison))
            yield from _selection_reports(script, tracer, comparison, statement, metric, function, action)
    # `is_best = acc > best_acc` passed to a save function
    if not flags:
        return
    flag_names = {name for _, name in flags}
    for site in script.calls:
        if not any(dotted(arg.value) in flag_names for arg in site.node.args):
            continue
        if _call_action(script, site.node) != "save":
            continue
        for arg in site.node.args:
            name = dotted(arg.value)
            if name is None:
                continue
            for comparison, statement in flags.get((id(site.function), name), []):
                if id(comparison) in reported:
                    continue
                metric = _best_sides(comparison)
                evidence = tracer.test_evidence(metric, site.function) if metric is not None else None
                if evidence is None:
                    continue
                reported.add(id(comparison))
                yield _report(comparison, statement, metric, evidence, "save")


def _selection_reports(script: Script, tracer: _Tracer, comparison: cst.Comparison, statement: cst.CSTNode,
                       metric: cst.BaseExpression, function: FunctionInfo, action: str) -> Iterator[Report]:
    """A comparison that decides on the test split is reported where the test data or metric
    enters: at the calls of a helper that pass it in (an early-stopping helper's ``loss``, a local
    fit()'s ``validation_data``), else at the comparison itself."""
    evidence = tracer.test_evidence(metric, function)
    if evidence is None:
        return
    entries = list(_test_arguments(script, tracer, function))
    if not entries:
        yield _report(comparison, statement, metric, evidence, action)
    for site, arg, found in entries:
        yield _report(site.node, site.statement, arg, found, action)


def _test_arguments(script: Script, tracer: _Tracer, function: FunctionInfo):
    """``(call, argument, evidence)`` for each call of ``function`` that passes test data or a test
    metric as one of its parameters."""
    if function.is_module:
        return
    offset = 1 if function.is_method else 0
    for site in script.call_sites_of(function):
        for index, parameter in enumerate(function.params[offset:]):
            arg = site.arg(index, parameter)
            if arg is None:
                continue
            found = tracer.data(arg, site.function) or tracer.test_evidence(arg, site.function)
            if found is not None and found.name == "test":
                yield site, arg, found
                break


def _report(node: cst.CSTNode, statement: cst.CSTNode, metric: cst.BaseExpression, evidence: Split,
            action: str) -> Report:
    return Report(node, message(metric, evidence, action), statement=statement)


# plateau schedulers and early-stopping objects --------------------------------------------------------
def _plateau_and_stoppers(script: Script, tracer: _Tracer, stoppers: bool) -> Iterator[Report]:
    found: list[tuple[CallSite, str]] = []
    for site in script.calls_by_method.get("step", []):
        scheduler = script.is_scheduler_step(site)
        if scheduler is not None and scheduler.detail == "plateau":
            found.append((site, "plateau"))
        elif stoppers and site.receiver is not None and _is_stopper(script, site.receiver, site.function):
            found.append((site, "stopper"))
    if stoppers:
        for site in script.calls:
            if site.receiver is None and site.name is not None and site.node.args and _is_stopper(
                    script, site.node.func, site.function):
                found.append((site, "stopper"))
    for site, what in found:
        metric = call_arg(site.node, 0, "metrics" if what == "plateau" else None)
        if metric is None:
            continue
        evidence = tracer.test_evidence(metric, site.function)
        if evidence is None:
            continue
        yield Report(site.node, message(metric, evidence, what), statement=site.statement)


def _is_stopper(script: Script, expr: cst.BaseExpression, function: FunctionInfo) -> bool:
    bounds = script.values(expr, function)
    return bool(bounds) and all(
        isinstance(bound.expr, cst.Call) and "earlystop" in (dotted(bound.expr.func) or "").replace("_", "").lower()
        for bound in bounds
    )


# fit() wrappers and Lightning hooks ------------------------------------------------------------------
_SELECTING_CALLBACKS = ("EarlyStopping", "ReduceLROnPlateau")
# where a fit() takes the data it validates on (Keras, Lightning, torchkeras, poutyne, tabnet)
_VALIDATION_KEYWORDS = ("validation_data", "val_data", "valid_data", "val_dataloaders", "valid_dataloader",
                        "val_dataloader", "valid_generator", "validation_generator", "eval_set", "val_loader")
# keyword arguments of a fit() that select on the validation data
_SELECTING_KEYWORDS = ("monitor", "patience", "early_stopping", "early_stopping_rounds", "save_best",
                       "save_best_only", "restore_best_weights")


def _fit_wrappers(script: Script, tracer: _Tracer) -> Iterator[Report]:
    """``model.fit(x, y, validation_data=(x_test, y_test), callbacks=[EarlyStopping(...)])`` and the
    wrappers that imitate it (``trainer.fit(model, train_loader, val_dataloaders=test_loader)`` with a
    monitoring checkpoint, ``fit(..., val_data=dl_test, monitor="val_acc")``): the test split is
    where the run chooses its epoch."""
    for site in script.calls_by_method.get("fit", []) + script.calls_by_method.get("fit_generator", []):
        validation = _validation_argument(site)
        if validation is None or script.callee(site) is not None:
            continue  # a local fit() is read where it compares
        selecting = _fit_selection(script, site)
        if selecting is None:
            continue
        parts = [element.value for element in validation.elements] if isinstance(validation, cst.Tuple) else [validation]
        evidences = [tracer.data(part, site.function) for part in parts]
        if not evidences or any(evidence is None or evidence.name != "test" for evidence in evidences):
            continue
        yield Report(validation, (
            f"`{selecting}` watches the validation data of `{site.name}()`, which is the test split "
            f"({evidences[0].text}): the epoch is chosen on the test set, so {CONSEQUENCE}; pass a validation "
            f"split carved from the training data (`validation_split=` on shuffled data, or `train_test_split`) "
            f"and evaluate the test set once at the end"), statement=site.statement)


def _validation_argument(site: CallSite) -> cst.BaseExpression | None:
    for keyword in _VALIDATION_KEYWORDS:
        found = site.arg(None, keyword)
        if found is not None:
            return found
    if site.method == "fit" and len(site.node.args) >= 3 and all(arg.keyword is None for arg in site.node.args[:3]):
        return site.node.args[2].value  # Lightning's trainer.fit(model, train_loader, val_loader)
    return None


def _fit_selection(script: Script, site: CallSite) -> str | None:
    """What chooses on the validation data: a selecting callback given to the fit() or to the
    trainer it is called on, or a selecting keyword argument."""
    for keyword in _SELECTING_KEYWORDS:
        value = site.arg(None, keyword)
        if value is not None and literal(value) not in (False, None, 0):
            return f"{keyword}="
    callbacks = site.arg(None, "callbacks")
    if callbacks is not None:
        return _selecting_callback(script, callbacks, site.function)
    if site.receiver is not None:
        for bound in script.values(site.receiver, site.function):
            if isinstance(bound.expr, cst.Call) and (found := call_arg(bound.expr, None, "callbacks")) is not None:
                return _selecting_callback(script, found, bound.function)
    return None


def _selecting_callback(script: Script, callbacks: cst.BaseExpression, function: FunctionInfo) -> str | None:
    for bound in script.values(callbacks, function):
        if not isinstance(bound.expr, cst.List | cst.Tuple):
            continue
        for element in bound.expr.elements:
            for value in script.values(element.value, bound.function):
                if isinstance(value.expr, cst.Call) and _selects(value.expr):
                    return (dotted(value.expr.func) or "").rsplit(".", 1)[-1]
    return None


def _selects(call: cst.Call) -> bool:
    """EarlyStopping, ReduceLROnPlateau, a ModelCheckpoint that keeps the best (``save_best_only``,
    Lightning's ``monitor=``)."""
    last = (dotted(call.func) or "").rsplit(".", 1)[-1]
    if last in _SELECTING_CALLBACKS:
        return True
    if last != "ModelCheckpoint":
        return False
    return literal(call_arg(call, None, "save_best_only")) is True or call_arg(call, None, "monitor") is not None


def _lightning_validation_hooks(script: Script, tracer: _Tracer) -> Iterator[Report]:
    """A LightningModule's (or DataModule's) ``val_dataloader()`` returning the test split, in a file
    whose trainer chooses on it (a ModelCheckpoint with ``monitor=``, EarlyStopping)."""
    hooks = [function for function in script.functions_by_name.get("val_dataloader", []) if function.cls is not None]
    if not hooks or not _file_selects_on_validation(script):
        return
    for hook in hooks:
        for returned in hook.returns:
            evidence = tracer.data(returned, hook)
            if evidence is None or evidence.name != "test":
                continue
            yield Report(returned, (
                f"`val_dataloader()` returns the test split ({evidence.text}) and the trainer chooses on it "
                f"(checkpoint or early stopping on the validation metrics): {CONSEQUENCE}; return a validation "
                f"split carved from the training data and keep the test split for `test_dataloader()`"),
                statement=script.return_statements.get(id(returned)))


def _file_selects_on_validation(script: Script) -> bool:
    for method in ("ModelCheckpoint", "EarlyStopping", "ReduceLROnPlateau"):
        for site in script.calls_by_method.get(method, []):
            if _selects(site.node):
                return True
    return False
