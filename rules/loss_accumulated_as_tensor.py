from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.fixes.edits import replace_node, with_method
from fitlint.findings import Severity
from fitlint.fixes.safety import is_scalar_loss, used_only_as_number
from fitlint.analysis.optimization import LossTensor, loss_tensor, names_feeding_backward, site_under_no_grad
from fitlint.analysis.regions import regions
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import CallSite, FunctionInfo, LoopInfo, Script, code_of, dotted, literal_key, references

HEADER = """\
import torch
import torch.nn.functional as F
from torch import nn, optim
model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)
"""

# Lightning calls these per batch and runs backward on what they return.
TRAINING_HOOKS = frozenset({"training_step"})


class LossAccumulatedAsTensor(Rule):
    """
    ## What it does
    Flags a running total kept across training iterations that adds up loss tensors themselves
    (`total_loss += loss`, `running_loss = running_loss + loss * x.size(0)`,
    `stats["loss"] += loss * n`, `losses.append(loss)`, or `losses.update(loss, n)` on an average meter of the file or its
    project whose `update` adds its value to `self.sum`) instead of their values (`loss.item()`, `float(loss)`,
    `loss.detach()`). A loss tensor is the result of a loss call (`criterion(out, y)` bound to a
    torch loss, `F.cross_entropy(...)`) or a name containing "loss" that is `.backward()`-ed.

    Not flagged: summing loss terms inside one step before `backward()` (the sum is what gets
    back-propagated), counts such as `correct += (pred == y).sum()` (no graph), and totals built
    under `torch.no_grad()` or in loops that do not train, unless the loop evaluates with
    gradients on (a validation loop with no `no_grad()`: each batch's loss keeps its graph too). An accumulator reset inside the same
    iteration is not a running total either.

    ## Why is this bad?
    A loss tensor carries its autograd history. Adding it to a total links every iteration's graph
    into one ever-growing chain that lives as long as the total: memory grows with every batch
    until the process runs out of it, and each iteration gets slower. It is the first entry of
    PyTorch's FAQ on out-of-memory errors.

    ## Example
    ```python
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss
    ```

    ## Use instead
    ```python
        total_loss += loss.item()
    ```

    ## Fix safety
    The fix accumulates the loss's value: `total += loss` -> `total += loss.item()`,
    `running = running + loss * x.size(0)` -> `running + loss.item() * x.size(0)`,
    `losses.append(loss)` -> `losses.append(loss.item())`. It is safe where it is offered: the
    total becomes a Python float instead of a tensor, so it is offered only when every read of
    the total visible in the file works the same on a float (arithmetic, comparisons, formatting,
    `print`, logging calls, `sum`/`len`, returning it to callers that do the same). When the total
    (or what it is assigned or returned to) has a method called on it (`total.item()`,
    `total.backward()`), is passed to a torch function (`torch.stack(losses)`) or to a function of
    this file, or is returned from a function with no caller here, there is no fix. A loss built
    with `reduction='none'` (not a single number) gets no fix either.

    ## References
    - https://pytorch.org/docs/stable/notes/faq.html#my-model-reports-cuda-runtime-error-2-out-of-memory
    """

    code = "FIT502"
    name = "loss-accumulated-as-tensor"
    severity = Severity.WARNING
    fixable = True

    VALID = [
        # the terms of one step's loss summed in a dict entry, then back-propagated
        Valid(HEADER + """
for x, y in train_loader:
    out = model(x)
    terms = {"total": 0.0}
    for name, crit in {"ce": criterion, "smooth": nn.CrossEntropyLoss(label_smoothing=0.1)}.items():
        terms["total"] += crit(out, y)
    optimizer.zero_grad()
    terms["total"].backward()
    optimizer.step()
"""),
        Valid(HEADER + """
total_loss = 0.0
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    total_loss += loss.item()
"""),
        # detach() and float() drop the graph
        Valid(HEADER + """
running, epoch_loss = 0.0, 0.0
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    running += loss.detach()
    epoch_loss += float(loss) * x.size(0)
"""),
        # a multi-term loss summed over time steps before one backward()
        Valid(HEADER + """
for x, y in train_loader:
    optimizer.zero_grad()
    out = model(x)
    loss = 0
    for t in range(out.size(1)):
        loss += criterion(out[:, t], y[:, t])
    loss.backward()
    optimizer.step()
"""),
        # loss terms collected in a list and back-propagated together
        Valid(HEADER + """
for x, y in train_loader:
    optimizer.zero_grad()
    losses = []
    for head in model.heads:
        losses.append(F.cross_entropy(head(x), y))
    total = sum(losses) / len(losses)
    total.backward()
    optimizer.step()
"""),
        # counts and comparisons have no graph
        Valid(HEADER + """
correct = 0
for x, y in train_loader:
    optimizer.zero_grad()
    out = model(x)
    loss = criterion(out, y)
    loss.backward()
    optimizer.step()
    correct += (out.argmax(1) == y).sum()
"""),
        # evaluation under no_grad: no graph to keep
        Valid(HEADER + """
def evaluate(loader):
    model.eval()
    val_loss = 0
    with torch.no_grad():
        for x, y in loader:
            val_loss += criterion(model(x), y)
    return val_loss / len(loader)
"""),
        Valid(HEADER + """
@torch.no_grad()
def validate(loader):
    total = 0
    for x, y in loader:
        loss = F.cross_entropy(model(x), y)
        total += loss
    return total
"""),
        # the loss value is rebound to a float before it is added
        Valid(HEADER + """
total = 0
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    loss = loss.item()
    total += loss
"""),
        # a helper summing terms for one step, whose caller calls backward
        Valid(HEADER + """
def compute_loss(outputs, targets):
    loss = 0
    for out, tgt in zip(outputs, targets):
        loss += criterion(out, tgt)
    return loss
for x, y in train_loader:
    optimizer.zero_grad()
    compute_loss(model(x), y).backward()
    optimizer.step()
"""),
        # values appended to a history list
        Valid(HEADER + """
history = []
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    history.append(loss.item())
"""),
    ]

    INVALID = [
        Invalid(HEADER + """
total_loss = 0
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss  # FIT502
""", fixed=HEADER + """
total_loss = 0
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        total_loss += loss.item()  # FIT502
"""),
        # scaled by the batch size: still a tensor with its graph
        Invalid(HEADER + """
def train_epoch():
    running_loss = 0.0
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        optimizer.step()
        running_loss = running_loss + loss * x.size(0)  # FIT502
    return running_loss / len(train_loader.dataset)
"""),
        # a list of loss tensors kept for plotting
        Invalid(HEADER + """
train_losses = []
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    train_losses.append(loss)  # FIT502
""", fixed=HEADER + """
train_losses = []
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    train_losses.append(loss.item())  # FIT502
"""),
        # Trainer class, Hugging Face style loss from the model output
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=5e-5)
        self.epoch_loss = 0
    def train_epoch(self, loader):
        for batch in loader:
            self.optimizer.zero_grad()
            outputs = self.model(**batch)
            loss = outputs.loss
            loss.backward()
            self.optimizer.step()
            self.epoch_loss += loss  # FIT502
"""),
        # a Lightning training_step keeping a running total on the module
        Invalid(HEADER + """
import lightning as L
class LitModel(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Linear(10, 2)
        self.running = 0
    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self.net(x), y)
        self.running += loss  # FIT502
        return loss
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        for aug in script.aug_assigns:
            if type(aug.operator) is not cst.AddAssign:
                continue
            found = self._running_total(script, aug.target, aug.value, aug.function, aug.loop, aug.order)
            if found is not None and not site_under_no_grad(script, aug):  # added under no_grad: no graph
                fix = _fix(script, dotted(aug.target), aug.value, aug.function, aug.order, found)
                yield Report(aug.target, self._message(dotted(aug.target) or code_of(aug.target)), statement=aug.statement, fix=fix)
        for assignment in script.assigns:
            value = assignment.value
            if not (type(value) is cst.BinaryOperation and type(value.operator) is cst.Add):
                continue
            for own, other in ((value.left, value.right), (value.right, value.left)):
                if dotted(own) == assignment.target:
                    found = self._running_total(script, own, other, assignment.function, assignment.loop, assignment.order)
                    if found is not None:
                        fix = _fix(script, assignment.target, other, assignment.function, assignment.order, found)
                        yield Report(value, self._message(assignment.target), statement=assignment.statement, fix=fix)
                    break
        for site in script.calls_by_method.get("append", []):
            receiver = site.receiver
            if receiver is None or len(site.node.args) != 1 or type(site.node.args[0].value) is not cst.Name:
                continue
            found = self._running_total(script, receiver, site.node.args[0].value, site.function, site.loop, site.order)
            if found is not None and found.backward:
                fix = _fix(script, dotted(receiver), site.node.args[0].value, site.function, site.order, found)
                yield Report(site.node, self._message(dotted(receiver), appended=True), statement=site.statement, fix=fix)

        for site in script.calls_by_method.get("update", []):
            # `losses.update(loss, images.size(0))` on an average meter whose `update` adds its value
            # to `self.sum`: the meter's total keeps every batch's graph (no fix: its `.avg` may be
            # read as a tensor)
            if site.receiver is None or not site.node.args or type(site.node.args[0].value) is not cst.Name:
                continue
            if not _meter_accumulates(script, site):
                continue
            found = self._running_total(script, site.receiver, site.node.args[0].value, site.function, site.loop, site.order)
            if found is not None and found.backward:
                yield Report(site.node, self._message(dotted(site.receiver), meter=True), statement=site.statement)

    def _running_total(self, script: Script, target: cst.BaseExpression, value: cst.BaseExpression,
                       function: FunctionInfo, loop: LoopInfo | None, order: int) -> LossTensor | None:
        name = dotted(target)
        if name is None and type(target) is cst.Subscript and literal_key(target) is not None and dotted(target.value):
            name = f"{dotted(target.value)}[{literal_key(target)!r}]"  # `stats["loss"] += loss * n`
        if name is None:
            return None
        found = loss_tensor(script, value, function, order)
        if found is None:
            return None
        if name in names_feeding_backward(script, function):
            return None  # the terms of one step's loss
        if loop is None:
            if not (name.startswith("self.") and (found.backward or function.name in TRAINING_HOOKS)):
                return None
        else:
            if self._reset_each_iteration(function, name, loop, order):
                return None
            if not (found.backward or script.loop_trains(loop) or _evaluated_with_gradients(script, found)):
                return None
        if found.call is not None:
            site = script.site_of(found.call)
            if site is not None and site_under_no_grad(script, site):
                return None
        return found

    @staticmethod
    def _reset_each_iteration(function: FunctionInfo, name: str, loop: LoopInfo, order: int) -> bool:
        """The accumulator is (re)bound inside the same loop before being added to: it lives for
        one iteration only."""
        return any(
            assignment.loop is not None and loop.contains(assignment.loop) and assignment.order < order
            and not _is_self_update(assignment.value, name)
            for assignment in function.bindings.get(name.split("[", 1)[0], [])
        )

    @staticmethod
    def _message(name: str | None, appended: bool = False, meter: bool = False) -> str:
        action = "appends loss tensors to" if appended else "adds loss tensors to"
        what = f"this {action} `{name}` across iterations"
        if meter:
            what = f"`{name}.update()` is handed the loss tensor, and the meter adds it to its running sum across iterations"
        return (
            f"{what}: each one keeps its autograd graph alive, so "
            "memory grows with every batch until it runs out and iterations slow down; accumulate "
            "`loss.item()` (or `loss.detach()`) instead"
        )


def _evaluated_with_gradients(script: Script, found: LossTensor) -> bool:
    """The loss is computed in an evaluation (a loop over held-out data) that runs with gradients
    on (no ``torch.no_grad()``): each batch's loss holds its graph, and the total keeps them all."""
    site = script.site_of(found.call) if found.call is not None else None
    if site is None:
        return False
    analysis = regions(script)
    return analysis.grad_at(site) == "on" and any(analysis.contains(region, site) for region in analysis.eval_regions)


def _meter_accumulates(script: Script, site: CallSite) -> bool:
    """The receiver is an instance of a class of the file (or of the project module it borrows)
    whose ``update`` adds its first argument to an attribute (``self.sum += val * n``)."""
    bounds = script.values(site.receiver, site.function)
    for bound in bounds:
        call = bound.expr
        cls = script.classes.get(script.qualname(call.func) or "") if type(call) is cst.Call else None
        method = cls.methods.get("update") if cls is not None else None
        if method is None or len(method.params) < 2:
            return False
        value = method.params[1]
        if not any(write.function is method and type(write.operator) is cst.AddAssign
                   and (dotted(write.target) or "").startswith("self.")
                   and value in {node.value for node in references(write.value, opaque_calls=True) if type(node) is cst.Name}
                   for write in script.aug_assigns):
            return False
    return bool(bounds)


def _is_self_update(value: cst.BaseExpression, name: str) -> bool:
    """``total = total + loss``: an update of the running total, not a reset."""
    return type(value) is cst.BinaryOperation and name in (dotted(value.left), dotted(value.right))


def _fix(script: Script, total: str | None, value: cst.BaseExpression, function: FunctionInfo, order: int,
         found: LossTensor) -> Fix | None:
    """``loss`` -> ``loss.item()`` in the added value, when the total is only ever read as a number."""
    if total is None or not is_scalar_loss(script, found.call, function):
        return None
    edits = []
    _item_edits(script, value, function, order, edits)
    if not edits or not used_only_as_number(script, total, function):
        return None
    return Fix("accumulate `loss.item()`", tuple(edits))


def _item_edits(script: Script, expr: cst.BaseExpression, function: FunctionInfo, order: int, edits: list) -> None:
    """Replace each loss tensor inside the added value (``loss * x.size(0)``) with its ``.item()``."""
    if type(expr) is cst.BinaryOperation:
        _item_edits(script, expr.left, function, order, edits)
        _item_edits(script, expr.right, function, order, edits)
        return
    if type(expr) is cst.UnaryOperation:
        _item_edits(script, expr.expression, function, order, edits)
        return
    # a name, `outputs.loss`, `criterion(out, y)`, `loss.mean()`: a scalar tensor
    if type(expr) in (cst.Name, cst.Attribute, cst.Call) and loss_tensor(script, expr, function, order) is not None:
        edits.append(replace_node(expr, with_method(expr, "item")))
