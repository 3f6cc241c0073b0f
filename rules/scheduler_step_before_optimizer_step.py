from __future__ import annotations

import re
from typing import Iterator


from fitlint.fixes.edits import block_statements, insert_after, is_lone_call, moved, remove_statement
from fitlint.findings import Severity
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.catalog import ObjKind
from fitlint.analysis.optimization import steps_unseen
from fitlint.analysis.schedulers import epoch_runs_ahead, handed_scheduler_step, skips_first_iteration
from fitlint.analysis.script import RESOLVED, CallSite, LoopInfo, Script, call_arg, code_of, contains, guessed, leaves_early

HEADER = """\
import torch
from torch import nn, optim
from torch.optim import lr_scheduler
model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=True)
"""


class SchedulerStepBeforeOptimizerStep(Rule):
    """
    ## What it does
    Flags `scheduler.step()` that runs before `optimizer.step()` in the same iteration, or at the
    top of the epoch loop before that epoch's training (the order PyTorch used before 1.1),
    including when the training happens in a function called after it, or in a training routine
    imported from another module that is handed the scheduler's optimizer
    (`train(model, epoch, optimizer, loader)`), and in a loop over the models of an ensemble
    inside the batch loop (`schedulers[j].step()` before `optimizers[j].step()`, the lists built by
    comprehensions). A trainer or helper module that is handed its
    scheduler (`def loop(self, epochs, data, scheduler=None)`, `self.scheduler` set from such a
    parameter, with no caller in the file) is judged by the name alone: `scheduler`,
    `lr_scheduler`, `sched`, `warmup_scheduler` are learning-rate schedulers, `kl_scheduler` or
    `noise_scheduler` are not. A step behind a guard that skips the loop's first iteration (`if
    epoch > 0:` in `for epoch in range(epochs)`, `if epoch != args.start_epoch:`) runs right after
    the previous epoch's training, the right order: not flagged (unless it passes the epoch, whose
    closed form runs ahead wherever it is called).

    ## Why is this bad?
    Since PyTorch 1.1 a scheduler's `step()` is meant to follow the optimizer's. Stepped first, the
    schedule skips its first value (for a schedule that changes every step, the initial learning
    rate is never used), and every decay (a StepLR drop, the end of a warm-up) arrives one epoch
    or one batch early. With short schedules
    or warm-ups this changes the result, and PyTorch warns about it at run time only on the first
    call, where it is easy to miss.

    ## Example
    ```python
    for epoch in range(epochs):
        scheduler.step()  # decays before the epoch has trained
        train(epoch)
        test(epoch)
    ```

    ## Use instead
    ```python
    for epoch in range(epochs):
        train(epoch)
        test(epoch)
        scheduler.step()
    ```

    ## Fix safety
    Safe: the fix moves the `scheduler.step()` line to just after the optimizer step of the same
    batch, or to just after the epoch's training (the last statement of the epoch loop or
    function that trains, and the statements that log the rate it used), so that what follows
    (validation, a checkpoint that saves the scheduler's state) sees the stepped scheduler as
    before; when a log of the rate comes after such a checkpoint, no place suits both: no fix. Its comments go with it,
    except those that place it in time ("update the rate before each epoch"): they described the
    old order and are dropped. It only fixes when that move is unambiguous: the call is a
    statement of its own, directly in the loop or function body, the optimizer step is a single
    statement in the same block, and no `continue`, `break`, `return` or `yield` between the old
    and the new place could skip it.

    ## References
    - https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate
    - The seed document (../shared/seed/): "scheduler.step() # update the rate before each epoch".
    """

    code = "FIT001"
    name = "scheduler-step-before-optimizer-step"
    severity = Severity.WARNING
    fixable = True

    VALID = [
        # after an imported training routine; the checkpoint that is handed the optimizer is not one
        Valid(HEADER + """
from engine import train_one_epoch, save_checkpoint, fit_summary
scheduler = lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.1)
for epoch in range(60):
    train_one_epoch(model, train_loader, optimizer, criterion)
    scheduler.step()
    save_checkpoint(model, optimizer, epoch)
    fit_summary(model, epoch)
"""),
        # per-batch scheduler stepped right after the optimizer
        Valid(HEADER + """
sched = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        sched.step()
"""),
        # epoch scheduler after train()/test(), optimizer.step() in another function
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
def test(epoch):
    pass
for epoch in range(100):
    train(epoch)
    test(epoch)
    scheduler.step()
"""),
        # optimizer.step() in train_one_batch(), scheduler.step() in the caller, after it
        Valid(HEADER + """
scheduler = lr_scheduler.CyclicLR(optimizer, base_lr=0.01, max_lr=0.1)
def train_one_batch(x, y):
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
for epoch in range(10):
    for x, y in train_loader:
        train_one_batch(x, y)
        scheduler.step()
"""),
        # a hand-written learning-rate adjustment at the top of the epoch is not a scheduler
        Valid(HEADER + """
def adjust_learning_rate(optimizer, epoch):
    for group in optimizer.param_groups:
        group["lr"] = 0.1 * (0.1 ** (epoch // 30))
for epoch in range(100):
    adjust_learning_rate(optimizer, epoch)
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""),
        # AMP: scaler.step(optimizer) is the optimizer step
        Valid(HEADER + """
scaler = torch.cuda.amp.GradScaler()
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)
for x, y in train_loader:
    optimizer.zero_grad()
    with torch.autocast("cuda"):
        loss = criterion(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
    scheduler.step()
"""),
        # LBFGS with a closure
        Valid(HEADER + """
optimizer = optim.LBFGS(model.parameters())
scheduler = lr_scheduler.StepLR(optimizer, 10)
for epoch in range(20):
    for x, y in train_loader:
        def closure():
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            return loss
        optimizer.step(closure)
    scheduler.step()
"""),
        # scheduler.step(epoch): the deprecated closed form sets the rate for that epoch explicitly
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, 30)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(100):
    scheduler.step(epoch)
    train(epoch)
"""),
        # the same with the epoch counted from 0 by a start argument
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, 30)
start_epoch = 0
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(start_epoch, 100):
    scheduler.step(epoch)
    train(epoch)
"""),
        # a name that looks like a scheduler but is bound to something else
        Valid(HEADER + """
scheduler = make_my_schedule(optimizer)
for epoch in range(100):
    scheduler.step()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""),
        # a helper module's training routine, handed its scheduler, steps it after the epoch's training
        Valid(HEADER + """
def train_model(model, criterion, optimizer, scheduler, loaders, num_epochs=25):
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            model.train() if phase == "train" else model.eval()
            for x, y in loaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    loss = criterion(model(x), y)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
            if phase == "train":
                scheduler.step()
    return model
"""),
        # Trainer class stepping in the right order
        Valid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=1e-3)
        self.scheduler = lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=50)
    def train_epoch(self):
        for x, y in train_loader:
            self.optimizer.zero_grad()
            criterion(self.model(x), y).backward()
            self.optimizer.step()
    def fit(self, epochs):
        for epoch in range(epochs):
            self.train_epoch()
            self.scheduler.step()
"""),
    ]

    INVALID = [
        # a helper module's copy of the old transfer-learning tutorial: the scheduler it is handed
        # is stepped at the start of the train phase (no code of the file calls it; any scheduler)
        Invalid(HEADER + """
def train_model(model, criterion, optimizer, scheduler, loaders, num_epochs=25):
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                scheduler.step()  # FIT001
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
    return model
"""),
        # the epoch's training is imported from the project's own module and given the optimizer
        Invalid(HEADER + """
from engine import train_one_epoch
scheduler = lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.1)
for epoch in range(60):
    scheduler.step()  # FIT001
    train_one_epoch(model, train_loader, optimizer, criterion)
"""),
        # scheduler.step(epoch) with the epoch counted from 1 (the pytorch-cifar100 shape)
        Invalid(HEADER + """
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[60, 120, 160], gamma=0.2)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(1, 201):
    scheduler.step(epoch)  # FIT001
    train(epoch)
"""),
        # the seed's first snippet: scheduler.step() before the epoch's training
        Invalid(HEADER + """
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
def train(epoch):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
for epoch in range(100):
    scheduler.step()  # FIT001
    train(epoch)
""", fixed=HEADER + """
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
def train(epoch):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
for epoch in range(100):
    train(epoch)
    scheduler.step()  # FIT001
"""),
        # the rate the epoch used is logged after training: the step goes below the log, above
        # the checkpoint that saves the scheduler's state
        Invalid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(100):
    scheduler.step()  # FIT001
    train(epoch)
    print(epoch, scheduler.get_last_lr()[0])
    torch.save({"model": model.state_dict(), "scheduler": scheduler.state_dict()}, "last.pt")
""", fixed=HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(100):
    train(epoch)
    print(epoch, scheduler.get_last_lr()[0])
    scheduler.step()  # FIT001
    torch.save({"model": model.state_dict(), "scheduler": scheduler.state_dict()}, "last.pt")
"""),
        # a log of the rate after the checkpoint: no place suits both, no fix
        Invalid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=100)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(100):
    scheduler.step()  # FIT001
    train(epoch)
    torch.save(scheduler.state_dict(), "scheduler.pt")
    print(epoch, optimizer.param_groups[0]["lr"])
"""),
        # inside the batch loop, before optimizer.step()
        Invalid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)
for epoch in range(10):
    for x, y in train_loader:
        scheduler.step()  # FIT001
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
""", fixed=HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=1000)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()  # FIT001
"""),
        # Trainer class: self.scheduler stepped before self.train_epoch()
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=1e-3)
        self.scheduler = lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=50)
    def train_epoch(self):
        for x, y in train_loader:
            self.optimizer.zero_grad()
            criterion(self.model(x), y).backward()
            self.optimizer.step()
    def fit(self, epochs):
        for epoch in range(epochs):
            self.scheduler.step()  # FIT001
            self.train_epoch()
"""),
        # at the top of the function that trains one epoch
        Invalid(HEADER + """
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[30, 60])
def train_one_epoch(epoch):
    scheduler.step()  # FIT001
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(90):
    train_one_epoch(epoch)
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        for site in script.calls_by_method.get("step", ()):
            scheduler = script.is_scheduler_step(site)
            if scheduler is None and not handed_scheduler_step(script, site):
                continue
            if script.never_runs(site.statement, site.function):
                continue
            explicit = site.arg(0, "epoch") is not None
            if explicit and not epoch_runs_ahead(script, site):
                continue  # the closed form sets the rate of the epoch it is given
            region = list(site.loop.all_calls()) if site.loop is not None else site.function.calls
            if site.loop is None and not script.call_sites_of(site.function):
                continue
            optimizers = [] if scheduler is None else [
                obj for obj in script.objects(call_arg(scheduler.call, 0, "optimizer"), scheduler.function)
                if obj.kind is ObjKind.OPTIMIZER]
            steps = [other for other in region
                     if script.site_steps_optimizer(other) or steps_unseen(script, other, optimizers)]
            place, helper = site, None
            callers = script.call_sites_of(site.function)
            if site.loop is None and not steps and len(callers) == 1 and (
                    callers[0].loop is not None or script.call_sites_of(callers[0].function)):
                # `self._adjust_lr()` (a helper that steps the scheduler) called in the loop, or in
                # the per-batch step the loop calls: where that call runs decides
                place, helper = callers[0], site.function.name
                around = place.loop.all_calls() if place.loop is not None else place.function.calls
                steps = [other for other in around
                         if script.site_steps_optimizer(other) or steps_unseen(script, other, optimizers)]
            before = [other for other in steps if other.order < place.order]
            after = [other for other in steps if other.order > place.order]
            if before or not after or (not explicit and skips_first_iteration(script, place)):
                continue
            if helper is not None:
                when = ("the optimizer step of the same batch" if _per_batch(script, place)
                        else "this epoch's training")
                where = "in the loop" if place.loop is not None else f"in `{place.function.name}()`"
                yield Report(site.node, (
                    f"`{site.written}()` runs in `{helper}()`, which is called before {when} "
                    f"(`{code_of(place.node)}` comes first {where}): every change of the schedule comes "
                    "one step early and its first value is skipped; step the scheduler after `optimizer.step()`"),
                    statement=site.statement)
                continue
            # both stepped in one function with no loop of its own (`_step(xb, yb)` run for each
            # batch): the two steps of one batch, whatever loop calls it
            if _per_batch(script, site) or site.loop is None and all(
                    other.loop is None and script.site_steps_optimizer(other) for other in after):
                message = (
                    f"`{site.written}()` runs before the optimizer step of the same batch: the schedule skips "
                    "its first value and every later change comes one step early; call it after "
                    "`optimizer.step()`"
                )
                fix = _fix_batch(site, after)
            else:
                given = f"`{code_of(site.node)}`, with the epoch counted from 1, " if explicit else f"`{site.written}()` "
                message = (
                    f"{given}runs before this epoch's training (the pre-1.1 order): each epoch trains "
                    "with the rate the schedule meant for the next one, so every decay comes one epoch "
                    "early; step the scheduler after the epoch's training"
                )
                fix = _fix_epoch(site, after)
            basis = RESOLVED if scheduler is not None else guessed(
                f"`{code_of(site.receiver)}` is handed to a function no code of this file calls: taken for a "
                "learning-rate scheduler by its name")
            yield Report(site.node, message, statement=site.statement, fix=fix, basis=basis)


def _per_batch(script: Script, site: CallSite) -> bool:
    """The call runs once per batch: in a batch loop, or in a function (a per-batch
    ``train_step``) that a batch loop calls."""
    if site.loop is not None:
        return _in_batch_loop(script, site.loop)
    return any(caller.loop is not None and _in_batch_loop(script, caller.loop)
               for caller in script.call_sites_of(site.function))


def _in_batch_loop(script: Script, loop: LoopInfo | None) -> bool:
    """The loop, or one around it, walks batches: a step in a loop over the models of an ensemble
    (``for j in range(n): schedulers[j].step()``) inside the batch loop runs once per batch."""
    while loop is not None:
        if script.is_batch_loop(loop):
            return True
        loop = loop.parent
    return False


def _fix_batch(site: CallSite, steps: list[CallSite]) -> Fix | None:
    """Move the scheduler step right after the batch's single optimizer step (in the batch loop,
    or in the per-batch function the loop calls)."""
    if len(steps) != 1:
        return None
    body = block_statements(site.loop.node if site.loop is not None else site.function.node)
    step = steps[0]
    if body is None or site.statement not in body or step.statement not in body:
        return None
    if not is_lone_call(site.statement, site.node):
        return None
    return Fix("move `scheduler.step()` after `optimizer.step()`", (
        remove_statement(site.statement),
        insert_after(step.statement, moved(site.statement, _still_fits)),
    ))


def _fix_epoch(site: CallSite, steps: list[CallSite]) -> Fix | None:
    """Move the scheduler step right after the epoch's training: after the last statement of the
    epoch loop (or function) that steps the optimizer, and after the statements right below that
    log the rate the epoch used; before anything else (a checkpoint saving the scheduler's state
    must see the step)."""
    owner = site.loop.node if site.loop is not None else site.function.node
    body = block_statements(owner)
    if body is None or site.statement not in body or not is_lone_call(site.statement, site.node):
        return None
    start = body.index(site.statement)
    trained = [index for index, statement in enumerate(body) if index > start
               and any(contains(statement, step.node) for step in steps)]
    if not trained:
        return None
    end = trained[-1]
    for index in range(trained[-1] + 1, len(body)):
        # a log of this epoch's rate read it before the step: it still must
        if _LEARNING_RATE_READ.search(code_of(body[index])):
            if any(_STATE_SAVED.search(code_of(statement)) for statement in body[end + 1:index]):
                return None  # a checkpoint between them: no place suits both
            end = index
    if any(leaves_early(statement, site.loop is not None) for statement in body[start + 1:end + 1]):
        return None
    return Fix("move `scheduler.step()` after the epoch's training",
               (remove_statement(site.statement), insert_after(body[end], moved(site.statement, _still_fits))))


_LEARNING_RATE_READ = re.compile(r"get_last_lr|get_lr|param_groups|\[['\"]lr['\"]\]")
_STATE_SAVED = re.compile(r"state_dict")


# A comment that places the call in time ("update the rate before each epoch") does not fit the
# call's new place: it is not carried along.
_TIMING = re.compile(r"\b(before|first|start|starts|beginning|begin|top|prior|earlier|early|pre-?1\.1)\b", re.IGNORECASE)


def _still_fits(comment: str) -> bool:
    return not _TIMING.search(comment)
