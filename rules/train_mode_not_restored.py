from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.fixes.edits import block_statements, insert_at_top, insert_before, statement_line
from fitlint.findings import Severity
from fitlint.analysis.models import builds_mode_layers
from fitlint.analysis.regions import Forward, ModeEvent, Model, Regions, regions
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, FunctionInfo, LoopInfo, Script, code_of, dotted

HEADER = """\
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
"""


class TrainModeNotRestored(Rule):
    """
    ## What it does
    Flags a `model.eval()` (or `model.train(False)`) that runs inside the epoch loop, directly or
    in a function called from it, when training resumes in the next iteration without
    `model.train()`: neither at the top of the training function or loop, nor after the
    evaluation. Also a training routine that validates in its epoch loop and so returns in
    evaluation mode (`train_model()`), followed by a later training phase that never calls
    `model.train()` (fine-tuning after the head was trained): that whole phase trains in evaluation
    mode. Also an evaluation function called inside the training loop before the training step
    (`if batch_id % 1000 == 0: valid_epoch(loader, model)` first thing in the batch loop) whose
    `model.eval()` nothing undoes before the step, also when the step is in a training helper called
    after it in the epoch loop (`make_pseudo_labels(model, ...)` then `train_epoch(model, ...)`).
    The training step may run the model through a
    method that runs the network (a PyG
    autoencoder's `z = model.encode(x, edge_index)`). The finding points at the `.eval()` call
    that leaves the model in evaluation mode.

    ## Why is this bad?
    From the second epoch on, training runs with dropout off and batch-norm statistics frozen:
    training accuracy looks fine (often better than before) while the model is no longer
    regularized, and batch-norm's running statistics never update after the first evaluation, so
    the statistics the model is evaluated with no longer match its weights. The usual symptom is
    training accuracy climbing to ~100% while validation accuracy stalls or drops after epoch 1.

    Not flagged: `model.train()` at the top of `train(epoch)` or of every batch, a helper that
    restores the mode it found (`was_training = model.training; model.eval(); ...;
    model.train(was_training)`), `model.train(mode=True)`, a final evaluation after the epoch loop
    (nothing trains after it), and models that clearly have neither dropout nor batch-norm. A model
    whose layers are out of view (a parameter of a helper module's `train(model, ...)`) is checked
    only when the file, or another Python file of its folder (`model.py` beside `trainer.py`),
    builds a dropout or batch-norm layer; a script that imports the helper and builds the model
    reports it in the helper's file.

    ## Example
    ```python
    model.train()
    for epoch in range(epochs):
        for x, y in train_loader:
            ...  # training step
        model.eval()
        validate(model)
    ```

    ## Use instead
    ```python
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            ...  # training step
        model.eval()
        validate(model)
    ```

    ## Fix safety
    The fix inserts `model.train()` (the model spelled as the training code spells it: `net`,
    `self.model`) where training resumes: as the first statement of the training function when
    the training forward pass runs in a loop of a function called from the loop that carries the
    evaluation over (`train(epoch)`, `train_epoch(self)`; after its docstring), otherwise as the
    first statement of that loop (the epoch loop, or the batch loop when the evaluation runs every
    N batches). No mode switch runs between that point and the training step (else the rule would
    not fire), so only training is affected, and training is meant to run in training mode: the
    fix is safe. There is no fix when the training code is reached from several places, or when
    the model has no name in scope at the insertion point.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.Module.html#torch.nn.Module.train
    - https://pytorch.org/docs/stable/generated/torch.nn.BatchNorm2d.html (running statistics are
      updated only in training mode)
    """

    code = "FIT203"
    name = "train-mode-not-restored"
    severity = Severity.ERROR
    fixable = True

    VALID = [
        # model.train() at the top of train(epoch), as in the seed's script
        Valid(HEADER + """
def train(epoch):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()

def test(epoch):
    model.eval()
    with torch.no_grad():
        return [model(x) for x, _ in val_loader]

for epoch in range(100):
    train(epoch)
    test(epoch)
"""),
        # model.train() at the top of every batch, evaluation inside the batch loop
        Valid(HEADER + """
for epoch in range(10):
    for step, (x, y) in enumerate(train_loader):
        model.train()
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        if step % 500 == 0:
            model.eval()
            with torch.no_grad():
                val = [model(vx) for vx, _ in val_loader]
"""),
        # no model.train() after the final evaluation, outside the loop
        Valid(HEADER + """
model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
model.eval()
with torch.no_grad():
    test_acc = [model(x) for x, _ in val_loader]
"""),
        # a helper that restores the mode it found
        Valid(HEADER + """
def evaluate(net, loader):
    was_training = net.training
    net.eval()
    with torch.no_grad():
        out = [net(x) for x, _ in loader]
    net.train(was_training)
    return out

model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    evaluate(model, val_loader)
"""),
        # model.train(mode=True) after evaluation
        Valid(HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val = [model(x) for x, _ in val_loader]
    model.train(mode=True)
"""),
        # a trainer whose .train(epochs) is a training routine, and an evaluator's .eval()
        Valid(HEADER + """
class Evaluator:
    def eval(self):
        return 0.0

class Trainer:
    def __init__(self, net):
        self.net = net
        self.evaluator = Evaluator()
    def train(self, epochs):
        for epoch in range(epochs):
            self.net.train()
            for x, y in train_loader:
                optimizer.zero_grad()
                criterion(self.net(x), y).backward()
                optimizer.step()
            self.evaluator.eval()

trainer = Trainer(model)
trainer.train(10)
"""),
        # the transfer-learning tutorial's phase loop switches the mode for each phase
        Valid(HEADER + """
loaders = {"train": train_loader, "val": val_loader}
for epoch in range(25):
    for phase in ["train", "val"]:
        if phase == "train":
            model.train()
        else:
            model.eval()
        for x, y in loaders[phase]:
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                loss = criterion(model(x), y)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
"""),
        # a model without dropout or batch-norm: the mode changes nothing
        Valid("""
import torch
from torch import nn
model = nn.Linear(20, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
"""),
        # `model = model.train()` restores training mode like `model.train()` (it returns the module)
        Valid("""
import torch
import torch.nn as nn
import torch.nn.functional as F

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")

for epoch in range(10):
    model = model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(x.to(device)), y.to(device)).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for x, y in val_loader:
            model(x.to(device))
"""),
        # `model.to(device).train()` switches `model`: the chain returns the same module
        Valid("""
import torch
import torch.nn as nn
import torch.nn.functional as F


def run(model, train_loader, val_loader, optimizer, device, epochs):
    for epoch in range(epochs):
        model.to(device).train()
        for x, y in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(model(x.to(device)), y.to(device)).backward()
            optimizer.step()
        model.to(device).eval()
        with torch.no_grad():
            for x, y in val_loader:
                model(x.to(device))


net = nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 10))
run(net, train_loader, val_loader, torch.optim.Adam(net.parameters()), "cuda", 10)
"""),
        # the official MNIST shape: `model.train()` inside `def train(model, ...)` is the method, not the function
        Valid("""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.optim.lr_scheduler import StepLR


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.dropout = nn.Dropout(0.5)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = self.dropout(F.relu(self.fc1(x.flatten(1))))
        return F.log_softmax(self.fc2(x), dim=1)


def train(model, train_loader, optimizer):
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()


def test(model, test_loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            correct += model(data).argmax(1).eq(target).sum().item()
    return correct


def main(train_loader, test_loader):
    model = Net()
    optimizer = optim.Adadelta(model.parameters(), lr=1.0)
    scheduler = StepLR(optimizer, step_size=1, gamma=0.7)
    for epoch in range(1, 15):
        train(model, train_loader, optimizer)
        test(model, test_loader)
        scheduler.step()
"""),
    ]

    INVALID = [
        # model.train() once before the loop, model.eval() in the loop
        Invalid(HEADER + """
model.train()
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()  # FIT203
    with torch.no_grad():
        val = [model(x) for x, _ in val_loader]
""", fixed=HEADER + """
model.train()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()  # FIT203
    with torch.no_grad():
        val = [model(x) for x, _ in val_loader]
"""),
        # the classic script whose train(epoch) forgot net.train() and test(epoch) calls net.eval()
        Invalid(HEADER + """
net = model
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(net(x), y).backward()
        optimizer.step()

def test(epoch):
    net.eval()  # FIT203
    with torch.no_grad():
        return [net(x) for x, _ in val_loader]

for epoch in range(100):
    train(epoch)
    test(epoch)
"""),
        # a Trainer class: validate() leaves self.model in eval mode
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model, optimizer):
        self.model = model
        self.optimizer = optimizer
    def train_epoch(self):
        for x, y in train_loader:
            self.optimizer.zero_grad()
            criterion(self.model(x), y).backward()
            self.optimizer.step()
    @torch.no_grad()
    def validate(self):
        self.model.eval()  # FIT203
        return [self.model(x) for x, _ in val_loader]
    def fit(self, epochs):
        self.model.train()
        for epoch in range(epochs):
            self.train_epoch()
            self.validate()

trainer = Trainer(model, optimizer)
trainer.fit(10)
"""),
        # evaluation every 100 batches inside the batch loop, train() only before the loop
        Invalid(HEADER + """
def main():
    model.train()
    for epoch in range(10):
        for step, (x, y) in enumerate(train_loader):
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
            if step % 100 == 0:
                model.train(False)  # FIT203
                with torch.no_grad():
                    val = [model(vx) for vx, _ in val_loader]

main()
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        analysis = regions(script)
        reported: set[int] = set()
        for forward in analysis.training_forwards():
            model = forward.model
            if model.layers.clearly_none:
                continue
            # a model whose layers are out of view (a parameter of a helper module's train()):
            # the file must show that mode matters somewhere (it builds dropout or batch-norm)
            if not (model.layers.has_mode_dependent or model.layers.complete or builds_mode_layers(script)):
                continue
            for event in analysis.mode_at(forward.site, model):
                if event.mode != "eval" or event.site is None:
                    continue
                if event.via_loop is None and not (_left_by_training_routine(analysis, event, forward)
                                                   or _left_by_evaluation_in_loop(analysis, event, forward)):
                    continue
                if id(event.site) in reported:
                    continue
                reported.add(id(event.site))
                severity = Severity.ERROR if model.layers.has_mode_dependent else Severity.WARNING
                yield Report(
                    event.site.node,
                    _message(analysis, forward, event),
                    severity=severity,
                    statement=event.site.statement,
                    fix=_fix(analysis, forward, event),
                    basis=model.basis | analysis.training_basis(forward.site),
                )


def _left_by_training_routine(analysis: Regions, event: ModeEvent, forward: Forward) -> bool:
    """The evaluation that reaches this training step ran in the epoch loop of another function
    that trains the model (``train_model()`` validating each epoch) and returned in evaluation
    mode; this step belongs to a later training phase (fine-tuning after the head) that never
    switches back."""
    site = event.site
    function = site.function
    script = analysis.script
    return (not function.is_module and site.loop is not None and script.function_trains(function)
            and not any(call is forward.site for call in script.calls_reached(function.calls)))


def _left_by_evaluation_in_loop(analysis: Regions, event: ModeEvent, forward: Forward) -> bool:
    """The switch is an evaluation function's own (``valid_epoch(loader, model)`` every 1000
    batches), called earlier in the same pass of a loop around this training step: the steps after
    it train in evaluation mode. A bare ``model.eval()`` in the training code itself is left alone:
    it is deliberate (a linear probe keeping a frozen backbone's batch-norm statistics)."""
    site = event.site
    if site.function is forward.site.function or not analysis.is_eval_function(site.function):
        return False
    script = analysis.script
    # the training step itself, or a call of the training helper that holds it (`train_epoch(model,
    # ...)` after `make_pseudo_labels(model, ...)` in the epoch loop)
    steps = [forward.site] + [caller for caller in script.call_sites_of(forward.site.function)
                              if caller.function is not site.function]
    for step in steps:
        loops = list(script.enclosing_loops(step.loop))
        if any(call.loop is not None and any(loop.contains(call.loop) for loop in loops)
               and call.order < step.order and site in script.calls_reached([call])
               for call in step.function.calls):
            return True
    return False


def _message(analysis: Regions, forward: Forward, event: ModeEvent) -> str:
    site = event.site
    name = (dotted(site.receiver) if site is not None else None) or forward.model.name
    call = code_of(site.node) if site is not None else f"{name}.eval()"
    if event.via_loop is None and _left_by_evaluation_in_loop(analysis, event, forward):
        per_batch = forward.site.loop is not None and analysis.script.is_batch_loop(forward.site.loop)
        return (
            f"`{call}` in `{site.function.name}()` leaves the model in evaluation mode, and it runs inside the "
            f"training loop before the training step with no `{name}.train()` after it: "
            f"{'after the first evaluation, the remaining batches train' if per_batch else 'training then runs'} "
            "with dropout off and batch-norm statistics frozen, so training accuracy looks fine while the model is "
            f"not regularized and the batch-norm running statistics never update; call `{name}.train()` right "
            f"after `{site.function.name}()` returns (or at the top of each training step)"
        )
    if event.via_loop is None:
        later = forward.site.function
        where = "at the top level" if later.is_module else f"in `{later.name}()`"
        return (
            f"`{call}` in `{site.function.name}()` leaves the model in evaluation mode when it returns, and the "
            f"later training {where} never calls `{name}.train()`: that whole training phase runs with dropout "
            "off and batch-norm statistics frozen, so training accuracy looks fine while the model is not "
            f"regularized and the batch-norm running statistics never update; call `{name}.train()` at the top "
            "of that training loop"
        )
    per_batch = analysis.script.is_batch_loop(event.via_loop) if event.via_loop is not None else False
    when = "after the first evaluation, the remaining batches train" if per_batch else (
        "from the second epoch on, training runs"
    )
    return (
        f"`{call}` leaves the model in evaluation mode and training resumes in the next "
        f"iteration without `{name}.train()`: {when} with dropout off and batch-norm statistics "
        "frozen, so training accuracy looks fine while the model is not regularized and the "
        f"batch-norm running statistics never update; call `{name}.train()` at the top of the "
        "training function (or right after the evaluation)"
    )


# --- fix ---------------------------------------------------------------------------------------

def model_name_in(analysis: Regions, function: FunctionInfo, model: Model) -> str | None:
    """How ``function`` itself spells ``model``: the receiver of one of its mode calls or the
    callee of one of its forward passes."""
    for site in function.calls:
        found = analysis.mode_call(site)
        if found is not None and found[1].same(model):
            receiver = site.receiver
            if type(receiver) is cst.Attribute and receiver.attr.value == "module":
                receiver = receiver.value
            name = dotted(receiver)
            if name is not None:
                return name
        forward = analysis.forward(site)
        if forward is not None and forward.model.same(model):
            return forward.model.name
    return None


def _fix(analysis: Regions, forward: Forward, event: ModeEvent) -> Fix | None:
    loop: LoopInfo | None = event.via_loop
    if loop is None:
        return None
    script = analysis.script
    site: CallSite = forward.site
    name: str | None = forward.model.name
    for _ in range(6):
        function = site.function
        if loop.function is function:
            if not loop.contains(site.loop):
                return None
            name = name or model_name_in(analysis, function, forward.model)
            body = block_statements(loop.node)
            if name is None or not body:
                return None
            edit = insert_before(body[0], statement_line(f"{name}.train()"))
            return Fix(f"call `{name}.train()` at the top of the loop", (edit,))
        if site.loop is not None and not function.is_module:
            name = name or model_name_in(analysis, function, forward.model)
            edit = insert_at_top(function, f"{name}.train()") if name is not None else None
            if edit is None:
                return None
            return Fix(f"call `{name}.train()` at the top of `{function.name}()`", (edit,))
        callers = script.call_sites_of(function)
        if len(callers) != 1:
            return None
        site, name = callers[0], None
    return None
