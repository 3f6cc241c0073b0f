from __future__ import annotations

import re
from typing import Iterable, Iterator

import libcst as cst

from fitlint.fixes.edits import insert_after, insert_at_top, insert_before, replace_node, statement_line
from fitlint.findings import Severity
from fitlint.fixes.apply import apply_fixes
from fitlint.fixes.safety import parent_of
from fitlint.analysis.models import Layers, always_on_dropouts, builds_mode_layers
from fitlint.analysis.regions import EvalRegion, Forward, ModeEvent, Model, Regions, regions
from fitlint.rule import Edit, Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import Script, code_of, contains, dotted

from fitlint.rules.train_mode_not_restored import TrainModeNotRestored

HEADER = """\
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.bn = nn.BatchNorm1d(256)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.bn(self.fc1(x)))))

model = Net()
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
"""

# an accuracy computed in a generator expression over LOADER after the epoch's training
COMPREHENSION = """
for epoch in range(12):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    with torch.no_grad():
        acc = sum((model(xb).argmax(1) == yb).float().mean().item() for xb, yb in LOADER)MARK
"""

TRAIN = """
def train_one_epoch():
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""


class EvalWithoutEvalMode(Rule):
    """
    ## What it does
    Flags an evaluation pass (a loop over validation or test data, or a function whose job is
    evaluating: `test`, `evaluate`, `validate`, `predict`, ...) that runs the model while it is in
    training mode: no `model.eval()` (or `model.train(False)`) reaches the forward pass, or a
    `model.train()` runs after the last `model.eval()` on the way there (for instance at the end of
    the previous epoch's training). The mode is followed through helpers that receive the model,
    callers, nested functions and loop iterations.

    It is an error when the model has dropout or batch-norm layers, a warning when the analysis
    cannot see the model's layers, and silent when the model clearly has neither (then the mode
    changes nothing). The graph convolutions of PyTorch Geometric and DGL (`GCNConv`, `GraphConv`,
    `GATConv`) hold weights only: a model built from them has dropout only where their keywords
    ask for it (`GATConv(..., dropout=0.6)`, DGL's `feat_drop=`). The layers of `nn.Sequential(*layers)`
    are those of the list its function builds (`layers += [nn.Linear(d, h), nn.Dropout(p)]`).

    A function that trains the model and then evaluates it, in the same epoch loop or after the
    training, with no mode switch anywhere on the way (`def train_val(model, ...)` in a helper
    module its callers import) is flagged too: whatever mode the caller left the model in, the
    evaluation runs in the mode the training runs in. With no switch in sight, it is reported
    only when the model's layers or the file show dropout or batch-norm (`nn.Dropout`,
    `LSTMNet(..., dropout=0.5)`, or a pretrained classifier's head replaced, `model.fc =
    nn.Linear(512, n)`: the torchvision and timm classifiers all have one or the other).

    In a phase loop (`for phase in ["train", "val"]:`, training under `if phase == "train":`)
    the held-out phase runs the same forward pass: it is flagged when the loop switches the model
    to training mode (`if phase == "train": model.train()`) and nothing in it switches it back
    (no `else: model.eval()`, no `model.train(phase == "train")`); reported at the forward pass,
    without a fix (the switch belongs under the phase test).

    A function that trains or evaluates by a flag (`run_epoch(loader, train)`, stepping only under
    `if train:`) but switches the model to training mode whatever the flag says
    (`self.model.train(True)`) is reported at that switch when a call runs it with the flag off on
    held-out data; `self.model.train(train)` follows the flag.

    Full-batch training (one graph, one table) may read the validation part off the forward pass
    it trains on: `output = model(features, adj)`, `loss_train.backward()`, then
    `loss_val = F.nll_loss(output[idx_val], ...)`. That pass ran in training mode, and the read is
    reported when the model has dropout or batch-norm. A second pass in evaluation mode assigned
    to the same name (pygcn's `if not args.fastmode: model.eval(); output = model(...)`) and a
    held-out term that is trained on (an entropy regulariser over the unlabelled nodes) are not.

    A functional dropout in a model's method that is not told the mode (`F.dropout(x, 0.5)`, no
    `training=`) is on in both modes: it is reported at the call, in a file that evaluates a
    model (or calls `.eval()`), since `model.eval()` cannot switch it off. Such a dropout is not
    a mode-dependent layer for the checks above; one with `training=True` (Monte Carlo dropout,
    said out loud) is left alone. Also a step helper shared by the training and the validation
    loops that starts with `model.train()` (`compute_losses(model, x, y)`): it undoes the
    validation loop's `model.eval()`; reported at that switch. And a flag-driven epoch helper
    called with its flag off on held-out data (`one_epoch(model, loss_fn, val_loader)` with
    `optimizer=None`) in a file that never switches a mode at all; reported at that call.

    ## Why is this bad?
    In training mode dropout keeps zeroing activations and batch-norm normalizes every batch with
    that batch's own statistics (and overwrites its running statistics with the evaluation data).
    The measured validation accuracy is then lower and noisier than what the model really does, so
    a model that trains to 97% can seem stuck near chance on validation; and checkpoint selection,
    early stopping and learning-rate schedules that read it decide on wrong numbers.

    Not flagged: Lightning's `validation_step` / `test_step` / `predict_step` (Lightning switches
    modes itself), the model's own methods (unless the model trains itself: a Keras-like
    `fit(self, ...)` that steps an optimizer and scores validation data), a `model.train()` inside the evaluation itself
    or in a helper only evaluations call (Monte Carlo dropout, test-time adaptation: deliberate), a `.train(...)` that is not `nn.Module.train` (a
    trainer's training routine), evaluation inside a custom context manager that receives the
    model (`with evaluating(model):`), a module's method that calls `self.eval()` and then runs a
    model by another name (`def validate(self, it): self.eval(); ... model(x)`, called as
    `model.validate(it)`: that model may be `self`), non-torch models (`clf.predict(X_test)`), and evaluation
    functions whose callers are not in the file.

    ## Example
    ```python
    def test(epoch):
        test_loss = 0
        for inputs, targets in testloader:
            outputs = net(inputs)  # net is still in training mode
            test_loss += criterion(outputs, targets).item()
    ```

    ## Use instead
    ```python
    def test(epoch):
        net.eval()
        test_loss = 0
        with torch.no_grad():
            for inputs, targets in testloader:
                outputs = net(inputs)
                test_loss += criterion(outputs, targets).item()
    ```
    and `net.train()` at the top of `train(epoch)`.

    ## Fix safety
    For a functional dropout not told the mode, the fix passes `training=self.training`: the
    dropout then follows the module's mode, as `nn.Dropout` does (safe).

    Otherwise the fix inserts `model.eval()`, the model spelled as the evaluation spells it (`net`,
    `self.model`): as the first statement of the evaluation function (after its docstring and
    `global` declarations) when the whole function evaluates, otherwise right before the
    evaluation loop (before its `with torch.no_grad():` when the loop opens it).

    Switching to evaluation mode must not leak into training, so the fix is checked by running the
    mode analysis on the fixed code: it is safe when `.train()` still reaches every training
    forward pass first (`model.train()` at the top of `train(epoch)`), or when the inserted
    `.eval()` reaches no training at all. When training would resume in evaluation mode and the
    model was in training mode on every path into the evaluation loop, the fix also inserts
    `model.train()` right after the loop, which leaves the mode everywhere else as it was: safe.
    When training would resume in evaluation mode only in the next iteration of the epoch loop
    (the training function does not call `.train()` itself), the fix is unsafe
    (`--unsafe-fixes`) and also makes FIT203's edit for the inserted call: `model.train()` at the
    top of the training function (or loop), so training mode is restored in the same fix. When
    training would run straight after it in evaluation mode, there is no fix.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.eval
    - https://pytorch.org/tutorials/beginner/saving_loading_models.html ("call model.eval() ... Failing to do this will yield inconsistent inference results")
    - The seed document (../shared/seed/): its `test(epoch)` calls `net.eval()` before the loop.
    """

    fixable = True
    code = "FIT201"
    name = "eval-without-eval-mode"
    severity = Severity.ERROR

    VALID = [
        # Monte Carlo dropout: `training=True` keeps it on in evaluation on purpose
        Valid("""
import torch
import torch.nn.functional as F
from torch import nn
class MCNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(20, 64)
        self.fc2 = nn.Linear(64, 2)
    def forward(self, x):
        return self.fc2(F.dropout(torch.relu(self.fc1(x)), 0.2, training=True))
model = MCNet()
model.eval()
with torch.no_grad():
    for x, y in val_loader:
        torch.stack([model(x) for _ in range(16)]).mean(0)
"""),
        # a course's language models whose methods switch `self` and run the module-level `model`
        # (every caller is `model.validate(...)`: the same object)
        Valid("""
import torch
from torch import nn
class Lm(nn.Module):
    def train_epoch(self, batches, loss, optimizer):
        self.train()
        for x, y in batches:
            optimizer.zero_grad()
            out, _ = model(x, None)
            loss(out.view(-1, model.vsize), y.view(-1)).backward()
            optimizer.step()
    def validate(self, batches, loss):
        self.eval()
        total = 0.0
        for x, y in batches:
            out, _ = model(x, None)
            total += loss(out.view(-1, model.vsize), y.view(-1)).item()
        return total
class Ensemble(Lm):
    def __init__(self, first, second):
        super().__init__()
        self.first, self.second, self.vsize = first, second, first.vsize
criterion = nn.CrossEntropyLoss()
if args.model == "ensemble":
    model = Ensemble(torch.load("first.pth"), torch.load("second.pth"))
    model.cuda()
    print(model.validate(test_batches, criterion))
else:
    model = MODELS[args.model](vocab, args.hidden, dropout=args.dropout)
    model.cuda()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for epoch in range(args.epochs):
        model.train_epoch(train_batches, criterion, optimizer)
    print(model.validate(test_batches, criterion))
"""),
        # training accuracy measured in a comprehension over the training loader
        Valid(HEADER + COMPREHENSION.replace("LOADER", "train_loader").replace("MARK", "")),
        # the same expression with the model switched to eval mode and back
        Valid(HEADER + """
X_val = torch.load("X_val.pt")
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        out = torch.cat([model(X_val[j:j + 256]) for j in range(0, len(X_val), 256)])
"""),
        # eval() and no_grad inside the evaluation function, train() at the top of training
        Valid(HEADER + TRAIN + """
def evaluate():
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct

for epoch in range(10):
    train_one_epoch()
    evaluate()
"""),
        # eval() in the caller, before the call of a helper that receives the model
        Valid(HEADER + TRAIN + """
def evaluate(net, loader):
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += criterion(net(x), y).item()
    return total

for epoch in range(10):
    train_one_epoch()
    model.eval()
    val_loss = evaluate(model, val_loader)
"""),
        # a helper that receives the model sets the mode itself; a nested evaluation function
        Valid(HEADER + """
def set_eval(net):
    net.eval()

def main():
    net = Net()
    def validate():
        set_eval(net)
        with torch.no_grad():
            return sum(criterion(net(x), y).item() for x, y in val_loader)
    for epoch in range(10):
        net.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(net(x), y).backward()
            optimizer.step()
        validate()
"""),
        # model.train(False) is eval mode
        Valid(HEADER + TRAIN + """
@torch.no_grad()
def test():
    model.train(False)
    return [model(x) for x, _ in val_loader]

for epoch in range(5):
    train_one_epoch()
    test()
"""),
        # Lightning switches modes itself around validation_step / test_step
        Valid("""
import torch
import pytorch_lightning as pl
from torch import nn

class LitNet(pl.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 256), nn.Dropout(0.5), nn.Linear(256, 10))
    def training_step(self, batch, batch_idx):
        x, y = batch
        return nn.functional.cross_entropy(self.net(x), y)
    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.cross_entropy(self.net(x), y))
    def test_step(self, batch, batch_idx):
        x, y = batch
        self.log("test_acc", (self(x).argmax(1) == y).float().mean())
"""),
        # a Trainer class whose .train() is a training routine, not nn.Module.train
        Valid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
    def train(self, epochs):
        for epoch in range(epochs):
            self.model.train()
            for x, y in train_loader:
                optimizer.zero_grad()
                criterion(self.model(x), y).backward()
                optimizer.step()
            self.validate()
    def validate(self):
        self.model.eval()
        with torch.no_grad():
            return [self.model(x) for x, _ in val_loader]

trainer = Trainer(model)
trainer.train(10)
"""),
        # eval() once before an inference loop at module level
        Valid(HEADER + """
model.load_state_dict(torch.load("best.pt"))
model.eval()
with torch.no_grad():
    for x, y in val_loader:
        print(model(x).argmax(1))
"""),
        # evaluation every 100 batches inside the batch loop, model.train() at the top of each batch
        Valid(HEADER + """
for epoch in range(10):
    for step, (x, y) in enumerate(train_loader):
        model.train()
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        if step % 100 == 0:
            model.eval()
            with torch.no_grad():
                for vx, vy in val_loader:
                    model(vx)
"""),
        # a custom context manager that receives the model (it may switch mode and gradients)
        Valid(HEADER + TRAIN + """
from contextlib import contextmanager
from utils import evaluating

def validate():
    with evaluating(model):
        return [model(x) for x, _ in val_loader]

for epoch in range(10):
    train_one_epoch()
    validate()
"""),
        # sklearn models have no training mode
        Valid("""
import torch
from sklearn.ensemble import RandomForestClassifier
clf = RandomForestClassifier()
clf.fit(X_train, y_train)
def evaluate():
    return (clf.predict(X_test) == y_test).mean()
evaluate()
"""),
        # a model with neither dropout nor batch-norm: the mode changes nothing
        Valid("""
import torch
from torch import nn
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
test_loader = torch.utils.data.DataLoader(test_set, batch_size=128)
def test():
    with torch.no_grad():
        return [model(x) for x, _ in test_loader]
test()
"""),
        # DDP: switching the wrapped module (`ddp.module.eval()`) switches the model
        Valid(HEADER + """
from torch.nn.parallel import DistributedDataParallel as DDP
ddp = DDP(model)

def validate():
    ddp.module.eval()
    with torch.no_grad():
        for x, y in val_loader:
            ddp(x)

for epoch in range(10):
    ddp.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(ddp(x), y).backward()
        optimizer.step()
    validate()
"""),
        # Monte Carlo dropout: dropout kept on deliberately inside the evaluation
        Valid(HEADER + TRAIN + """
def mc_dropout_predict(loader, samples=20):
    model.train()
    with torch.no_grad():
        for x, _ in loader:
            yield torch.stack([model(x).softmax(1) for _ in range(samples)]).mean(0)

train_one_epoch()
predictions = list(mc_dropout_predict(val_loader))
"""),
        # a per-batch helper named predict that the training step uses builds the training graph
        Valid(HEADER + """
def predict(x):
    return model(x)

model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(predict(x), y)
        loss.backward()
        optimizer.step()
"""),
        # a model file's smoke test: a shape check on a model built right there, not an evaluation
        Valid("""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Block(nn.Module):
    def __init__(self, planes):
        super().__init__()
        self.conv = nn.Conv2d(planes, planes, 3, padding=1, bias=False)
        self.bn = nn.BatchNorm2d(planes)

    def forward(self, x):
        return F.relu(self.bn(self.conv(x))) + x


class Net(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.stem = nn.Conv2d(3, 16, 3, padding=1)
        self.blocks = nn.Sequential(Block(16), Block(16))
        self.dropout = nn.Dropout(0.3)
        self.fc = nn.Linear(16, num_classes)

    def forward(self, x):
        x = self.blocks(self.stem(x)).mean((2, 3))
        return self.fc(self.dropout(x))


def test():
    net = Net()
    y = net(torch.randn(2, 3, 32, 32))
    print(y.size())


if __name__ == "__main__":
    test()
"""),
        # `model.to(device).eval()` switches `model` to evaluation mode
        Valid("""
import torch
import torch.nn as nn


@torch.no_grad()
def validate(model, loader, device):
    model.to(device).eval()
    correct = 0
    for images, labels in loader:
        correct += (model(images.to(device)).argmax(1) == labels.to(device)).sum().item()
    return correct / len(loader.dataset)


net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.Dropout(0.5), nn.Linear(256, 10))
print(validate(net, val_loader, "cuda"))
"""),
    ]

    INVALID = [
        # a functional dropout with no `training=`: on in evaluation, whatever the mode
        Invalid("""
import torch
import torch.nn.functional as F
from torch import nn
class TextCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(5000, 64)
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        x = self.embedding(x).mean(1)
        return self.fc(F.dropout(x, 0.5))  # FIT201
model = TextCNN()
model.eval()
with torch.no_grad():
    for x, y in val_loader:
        model(x)
"""),
        # validation accuracy measured in a comprehension over the validation loader
        Invalid(HEADER + COMPREHENSION.replace("LOADER", "val_loader").replace("MARK", "  # FIT201")),
        # evaluation as one expression over slices of the validation tensor, in training mode
        Invalid(HEADER + """
X_val = torch.load("X_val.pt")
model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    with torch.no_grad():
        out = torch.cat([model(X_val[j:j + 256]) for j in range(0, len(X_val), 256)])  # FIT201
"""),
        # the classic script: test(epoch) forgets net.eval()
        Invalid(HEADER + TRAIN + """
def test(epoch):
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:  # FIT201
            outputs = model(x)
            correct += (outputs.argmax(1) == y).sum().item()
    print(epoch, correct)

for epoch in range(10):
    train_one_epoch()
    test(epoch)
""", fixed=HEADER + TRAIN + """
def test(epoch):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:  # FIT201
            outputs = model(x)
            correct += (outputs.argmax(1) == y).sum().item()
    print(epoch, correct)

for epoch in range(10):
    train_one_epoch()
    test(epoch)
"""),
        # eval() before the loop, but training switches back to train mode every epoch
        Invalid(HEADER + TRAIN + """
def evaluate(net, loader):
    with torch.no_grad():
        return sum(criterion(net(x), y).item() for x, y in loader)  # FIT201

model.eval()
for epoch in range(10):
    val_loss = evaluate(model, val_loader)
    train_one_epoch()
"""),
        # a Trainer class: validate() runs after train_epoch() with self.model still training
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer
    def train_epoch(self):
        self.model.train()
        for x, y in train_loader:
            self.optimizer.zero_grad()
            criterion(self.model(x), y).backward()
            self.optimizer.step()
    def validate(self):
        with torch.no_grad():
            return [self.model(x).argmax(1) for x, _ in val_loader]  # FIT201
    def fit(self, epochs):
        for epoch in range(epochs):
            self.train_epoch()
            self.validate()

Trainer(model, optimizer).fit(10)
"""),
        # a freshly built model evaluated on the test split (weights loaded, eval() forgotten)
        Invalid("""
import torch
import torchvision
model = torchvision.models.resnet18(num_classes=10)
model.load_state_dict(torch.load("best.pt"))
test_set = torchvision.datasets.CIFAR10("data", train=False)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=256)
correct = 0
with torch.no_grad():
    for x, y in test_loader:  # FIT201
        correct += (model(x).argmax(1) == y).sum().item()
"""),
        # a validation loop inside main(), model unknown to the analysis (warning)
        Invalid("""
import torch
import timm
def main():
    model = timm.create_model("resnet50", num_classes=10)
    optimizer = torch.optim.AdamW(model.parameters())
    for epoch in range(10):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        with torch.no_grad():
            for x, y in val_loader:  # FIT201
                model(x)
main()
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        analysis = regions(script)
        for region in analysis.eval_regions:
            reported: list[Model] = []
            for forward in region.forwards:
                if any(forward.model.same(model) for model in reported):
                    continue
                report = self._check_forward(analysis, region, forward) or _helper_switch(analysis, region, forward)
                if report is not None:
                    reported.append(forward.model)
                    yield report
        if analysis.eval_regions or script.calls_by_method.get("eval"):
            yield from map(_always_on, always_on_dropouts(script))
        for region in analysis.phase_regions:
            report = next(filter(None, (_check_phase(analysis, region, f) for f in region.forwards)), None)
            if report is not None:
                yield report
        for switch, flagged in analysis.flag_mode_evaluations:
            layers = analysis.mode_layers(flagged.forward)
            if layers is None:
                continue
            receiver = code_of(switch.receiver) if switch is not None and switch.receiver is not None else "model"
            cause, fix = ((f"`{code_of(switch.node)}` puts the model in training mode whatever `{flagged.flag}` says, and ",
                           f"follow the flag (`{receiver}.train({code_of(flagged.test)})`)") if switch is not None else
                          ("nothing in the file ever calls `.eval()`, and ", f"switch modes by the flag (`{receiver}.train("
                           f"{code_of(flagged.test)})` at the top of `{flagged.function.name}()`)"))
            yield Report((switch or flagged.call).node, (
                f"{cause}`{code_of(flagged.call.node)}` runs `{flagged.function.name}()` with `{flagged.flag}` off on the {flagged.split.value} "
                f"data: {_effect(layers)}, so the measured accuracy is lower and noisier than the model's real one; {fix}"),
                severity=Severity.ERROR if layers.has_mode_dependent else Severity.WARNING,
                statement=(switch or flagged.call).statement)
        for forward, statement, split in analysis.held_out_reads_of_training_output:
            layers = analysis.mode_layers(forward)
            if layers is None:
                continue
            name = forward.model.name
            yield Report(statement, (
                f"this {split.value} measure is read off the training forward pass (`{code_of(forward.site.node)}`, "
                f"in training mode): {_effect(layers)}, so the measured value is worse and noisier than the "
                f"model's real one; call `{name}.eval()` and run a separate forward pass under `torch.no_grad()` "
                f"for it (and `{name}.train()` before training resumes)"),
                severity=Severity.ERROR if layers.has_mode_dependent else Severity.WARNING, statement=statement,
                basis=forward.model.basis)

    def _check_forward(self, analysis, region: EvalRegion, forward: Forward) -> Report | None:
        model = forward.model
        if (model.layers.clearly_none or analysis.under_model_context(forward.site, model)
                or _switches_own_module_first(forward)):
            return None
        events = analysis.mode_at(forward.site, model)
        # a `.train()` inside the evaluation itself is deliberate (MC dropout, test-time BN adaptation)
        training = [
            event for event in events
            if event.mode == "train" and not (event.site is not None and analysis.contains(region, event.site))
        ]
        if not training:
            # no switch anywhere on the way, but the same loop trains the model: whatever mode the
            # caller left it in, validation runs in the mode training runs in. Without a switch
            # in sight, the layers must say the mode matters (a tutorial's plain MLP has none)
            if not events or any(event.mode != "unknown" for event in events):
                return None
        layers = analysis.layers_at(forward)
        if layers.clearly_none:
            return None
        if not training and not ((layers.has_mode_dependent or builds_mode_layers(analysis.script))
                                 and analysis.trained_alongside(forward.site, model)):
            return None
        severity = Severity.ERROR if layers.has_mode_dependent else Severity.WARNING
        node, statement = analysis.anchor(region, forward)
        message = _message(region, forward, training, model, layers, events) + _uncalled_switch(analysis.script, model.name)
        return Report(node, message, severity=severity, statement=statement,
                      fix=_fix(analysis, region, forward, node, statement, events), basis=model.basis,
                      end=analysis.anchor_end(forward, node))


def _helper_switch(analysis, region: EvalRegion, forward: Forward) -> Report | None:
    """``compute_losses(model, x, y)`` in the validation loop, a step helper shared with training
    that starts with ``model.train()``: reported at that switch."""
    switch = analysis.helper_train_switch(forward)
    layers = analysis.mode_layers(forward) if switch is not None else None
    if layers is None:
        return None
    return Report(switch.node, (
        f"`{code_of(switch.node)}` runs first in `{switch.function.name}()`, which the evaluation {region.describe()} "
        f"calls too (`{code_of(forward.site.node)}`), so it evaluates in training mode whatever mode the caller set: "
        f"{_effect(layers)}, so the measured accuracy is lower and noisier than the model's real one; switch modes "
        f"in the loops (`{code_of(switch.receiver)}.train()` before the training loop), not in the shared helper"),
        severity=Severity.ERROR if layers.has_mode_dependent else Severity.WARNING, statement=switch.statement)


def _switches_own_module_first(forward: Forward) -> bool:
    """A method that switches its own module (``self.eval()``) and then runs a model by another
    name (``def validate(self, it): self.eval(); ... model(x)`` called as ``model.validate(it)``):
    that model may well be ``self``, and nothing says it is not."""
    site = forward.site
    if not site.function.is_method or dotted(site.node.func) == "self":
        return False
    return any(inner.method == "eval" and dotted(inner.receiver) == "self" and inner.order < site.order
               for inner in site.function.calls)


_TIGHT = cst.AssignEqual(whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace(""))


def _always_on(site) -> Report:
    told = site.node.with_changes(args=[*site.node.args[:-1], site.node.args[-1].with_changes(
        comma=cst.MaybeSentinel.DEFAULT), cst.Arg(cst.parse_expression("self.training"), cst.Name("training"), equal=_TIGHT)])
    return Report(site.node, (
        f"`{code_of(site.node)}` is not told the mode (no `training=`), so it stays on in evaluation too: "
        "`model.eval()` does not switch it off, and validation and test predictions are made with dropout "
        "zeroing activations: the measured accuracy is lower and noisier than the model's real one; pass "
        "`training=self.training` (or use an `nn.Dropout` module; `training=True` if it is meant to stay on)"),
        statement=site.statement,
        fix=Fix("pass `training=self.training`", (replace_node(site.node, told),)))


def _check_phase(analysis: Regions, region: EvalRegion, forward: Forward) -> Report | None:
    """The held-out phase of ``for phase in ['train', 'val']:`` runs the same forward pass as the
    training phase: when the phase loop switches the model to training mode (``if phase ==
    'train': model.train()``) and nothing in it switches it back, the held-out phase evaluates in
    training mode. No fix: the switch belongs under the phase test."""
    model = forward.model
    if model.layers.clearly_none or analysis.under_model_context(forward.site, model):
        return None
    loop = region.loop
    inside = [event for at, event in analysis.events_in(region.function, model.key)
              if loop.order < at < loop.end_order]
    if not any(event.mode == "train" for event in inside) or any(event.mode != "train" for event in inside):
        return None
    layers = analysis.layers_at(forward)
    if layers.clearly_none:
        return None
    severity = Severity.ERROR if layers.has_mode_dependent else Severity.WARNING
    return Report(forward.site.node, _message(region, forward, inside, model, layers), severity=severity,
                  statement=forward.site.statement, basis=model.basis)


def _effect(layers: Layers) -> str:
    kinds = layers.kinds
    if kinds == {"dropout"}:
        return "dropout keeps zeroing activations"
    if kinds == {"batchnorm"}:
        return "batch-norm normalizes each batch with its own statistics and overwrites its running statistics"
    if kinds:
        return ("dropout keeps zeroing activations and batch-norm normalizes each batch with its own "
                "statistics (overwriting its running statistics)")
    return "any dropout or batch-norm layer in it behaves as in training"


def _message(region: EvalRegion, forward: Forward, training: list[ModeEvent], model: Model, layers: Layers,
             events: Iterable[ModeEvent] = ()) -> str:
    name = model.name
    switched = next((event for event in training if event.site is not None), None)
    skipped = next((event for event in events if event.mode == "eval" and event.site is not None), None)
    if training and skipped is not None:
        how = (
            f"the `{skipped.site.written}()` on the way here runs only under an `if` that may not be "
            f"taken, and on the other path `{name}` is still in training mode"
        )
    elif switched is not None:
        where = switched.site.function
        place = "" if where.is_module else f" in `{where.name}()`"
        how = (
            f"the last mode switch on the way here is `{switched.site.written}()`{place}, "
            f"so `{name}` is in training mode"
        )
    elif training:
        how = f"no `{name}.eval()` reaches it, so `{name}` is still in training mode"
    else:
        how = (
            f"no mode switch of `{name}` runs between its training and this evaluation, so it "
            "evaluates in the mode it trains in (training mode)"
        )
    return (
        f"{forward.describe()} evaluates {region.describe()} but {how}: {_effect(layers)}, so the "
        "measured accuracy is lower and noisier than the model's real one and can sit near chance; "
        f"call `{name}.eval()` before the evaluation (and `{name}.train()` before training resumes)"
    )


def _uncalled_switch(script: Script, name: str) -> str:
    """The note for a ``model.eval`` written without its parentheses: a statement that reads the
    method and does nothing, the likeliest reason the switch is missing."""
    found = re.search(rf"^[ \t]*{re.escape(name)}\.eval[ \t]*(#.*)?$", script.source, re.MULTILINE)
    if found is None:
        return ""
    return f" (a `{name}.eval` without parentheses names the method without calling it)"


# --- fix ---------------------------------------------------------------------------------------

def _fix(analysis: Regions, region: EvalRegion, forward: Forward, node: cst.CSTNode,
         statement: cst.CSTNode | None, events: list[ModeEvent]) -> Fix | None:
    script = analysis.script
    name = forward.model.name
    function = forward.site.function
    code = f"{name}.eval()"
    target: cst.CSTNode | None = None
    if region.loop is None and region.statement is None and not function.is_module:
        edit = insert_at_top(function, code)
        where = f"at the top of `{function.name}()`"
    else:
        target = node if type(node) in (cst.For, cst.While) else statement
        if not isinstance(target, cst.BaseStatement) or not contains(target, forward.site.node):
            return None
        target = _outside_no_grad(script, target)
        if not isinstance(parent_of(script, target), (cst.IndentedBlock, cst.Module)):
            return None
        edit = insert_before(target, statement_line(code))
        where = "before the evaluation"
    if edit is None:
        return None
    fix = Fix(f"call `{code}` {where}", (edit,))
    switch_back = all(event.mode == "train" for event in events) and target is not None
    reached, restore = _training_reached(script, fix, edit.before or edit.after, restore=not switch_back)
    if reached is None:
        return fix
    if switch_back:
        # the model was in training mode before the evaluation: switch it back right after
        edits = (edit, insert_after(target, statement_line(f"{name}.train()")))
        fix = Fix(f"call `{code}` before the evaluation and `{name}.train()` after it", edits)
        if _training_reached(script, fix, edits[0].before)[0] is None:
            return fix
        return None
    if reached == "next-iteration" and restore is not None:
        return Fix(f"call `{code}` {where} and `{name}.train()` where training starts", (edit, *restore), safe=False)
    return None


def _restoring_edits(script: Script, fixed: Script, inserted: tuple[cst.BaseStatement, ...]) -> tuple[Edit, ...] | None:
    """FIT203's fix for the inserted mode switch (``model.train()`` at the top of the training
    function or loop), when its edits are anchored on code the evaluation fix leaves as it is."""
    calls = {id(node) for statement in inserted for node in _calls(statement)}
    for report in TrainModeNotRestored().check(fixed):
        if id(report.node) not in calls or report.fix is None:
            continue
        if all(parent_of(script, edit.node) is not None for edit in report.fix.edits):
            return report.fix.edits
    return None


def _outside_no_grad(script: Script, target: cst.CSTNode) -> cst.CSTNode:
    """``with torch.no_grad():`` whose body starts with the loop: the mode switch goes before the ``with``."""
    while True:
        block = parent_of(script, target)
        owner = parent_of(script, block) if type(block) is cst.IndentedBlock else None
        if type(owner) is not cst.With or block.body[0] is not target:
            return target
        target = owner


def _training_reached(script: Script, fix: Fix, inserted: tuple[cst.BaseStatement, ...],
                      restore: bool = False) -> tuple[str | None, tuple[Edit, ...] | None]:
    """Simulate the fix: None when the inserted mode switch reaches no training forward pass,
    'next-iteration' when it reaches one only in the next iteration of a loop (FIT203's case: with
    ``restore``, also FIT203's fix of the fixed code when there is one), 'directly' when it
    reaches one straight away."""
    module, _ = apply_fixes(script.module, [fix])
    calls = {id(node) for statement in inserted for node in _calls(statement)}
    # the original text stands in for the fixed one: only file-level word tests read it, and the
    # inserted mode switch changes none of them (generating the code cost more than the analysis)
    fixed = script.variant(module)
    try:
        found = _reached(regions(fixed), calls)
        return found, _restoring_edits(script, fixed, inserted) if restore and found == "next-iteration" else None
    finally:
        fixed.release()


def _reached(analysis: Regions, calls: set[int]) -> str | None:
    found = None
    for forward in analysis.training_forwards():
        for event in analysis.mode_at(forward.site, forward.model):
            if event.mode == "eval" and id(event.origin) in calls:
                if event.via_loop is None:
                    return "directly"
                found = "next-iteration"
    return found


def _calls(statement: cst.CSTNode) -> list[cst.CSTNode]:
    out, stack = [], [statement]
    while stack:
        current = stack.pop()
        if type(current) is cst.Call:
            out.append(current)
        stack.extend(current.children)
    return out
