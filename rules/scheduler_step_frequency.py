from __future__ import annotations

from typing import Iterator

from fitlint.analysis.schedulers import (
    HandedScheduler, intended_cadence, lightning_schedulers, stepped_per_batch, stepped_per_epoch,
)
from fitlint.analysis.script import CallSite, Obj, Script
from fitlint.findings import Severity
from fitlint.rule import Invalid, Report, Rule, Valid

HEADER = """\
import torch
from torch import nn, optim
from torch.optim import lr_scheduler
model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = torch.utils.data.DataLoader(dataset, batch_size=32, shuffle=True)
epochs = 90
"""

# the scheduler (SCHEDULER) stepped in a helper that the loop over the batches (BATCHES) calls
STEP_HELPER = """
import torch
import torch.nn as nn


def train_step(model, opt, sched, xb, yb):
    loss = nn.functional.cross_entropy(model(xb), yb)
    opt.zero_grad()
    loss.backward()
    opt.step()
    sched.step()
    return loss.item()


def fit(model, train_dl, epochs=5):
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    sched = SCHEDULER
    for epoch in range(epochs):
        model.train()
BATCHES
"""


class SchedulerStepFrequency(Rule):
    """
    ## What it does
    Flags a learning-rate scheduler stepped at the wrong cadence: an epoch-based scheduler
    (StepLR, MultiStepLR, ExponentialLR, CosineAnnealingLR, PolynomialLR) sized in epochs but
    stepped inside the batch loop, or a per-batch scheduler (OneCycleLR, CyclicLR, the
    `transformers` warm-up schedules, a LambdaLR/LinearLR warm-up sized in iterations) stepped once
    per epoch. The batch loop is a loop over a DataLoader or over index ranges cut by hand, or a
    loop of steps that takes each batch with `next()` from an iterator over a loader
    (`for i in range(eval_step): x, y = next(labeled_iter)`, how FixMatch cycles two loaders).

    The size is read from the constructor: `StepLR(step_size=30)`, `CosineAnnealingLR(T_max=epochs)`
    are sized in epochs, and so is a name that bounds the epoch loop whatever its words say
    (`T_max=max_iter` with `for epoch in range(max_iter):`, DCGAN's `--niter`); `step_size=30 * len(train_loader)`, `T_max=epochs * len(loader)`,
    `total_steps`, `num_training_steps`, `max_iters` and literals of 1000 or more are sized in
    iterations and may be stepped per batch. A step guarded by `if (i + 1) % len(loader) == 0`
    (a `%` / `==` test of the batch index) runs once per epoch in effect, unless the same guard
    steps the optimizer (gradient accumulation, `if (i + 1) % accum == 0:`): then the scheduler
    follows the optimizer steps, per iteration; a guard that tests an option (`if
    args.lr_schedule == "cyclic":`) holds at every batch or at none, and a name bound to one
    scheduler per option is judged, at a step under such a guard, with the scheduler that option
    builds. `scheduler.step(epoch + i / iters)`
    with an explicit value sets the schedule itself. Where the size cannot be read
    (`T_max=cfg.t_max`), the rule stays silent.

    ## Why is this bad?
    A scheduler counts calls to `step()`, not epochs. StepLR(step_size=30, gamma=0.1) stepped every
    batch divides the learning rate by 10 every 30 batches: within the first epoch it is
    effectively zero and training stalls where it stands. In the H200 reference run, StepLR(15, 0.1)
    stepped per batch reached a learning rate of 5e-5 after one epoch and 5e-11 after three; the
    model froze at 84% training accuracy. The other way round, a OneCycleLR or warm-up sized in
    batches but stepped once per epoch advances one batch's worth per epoch: the warm-up never
    ends and the learning rate stays near its starting value for the whole run.

    ## Example
    ```python
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(90):
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
            scheduler.step()  # 90 epochs' worth of decay in the first 90 batches
    ```

    ## Use instead
    ```python
    scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
    for epoch in range(90):
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        scheduler.step()  # once per epoch
    ```
    or size it in iterations: `StepLR(optimizer, step_size=30 * len(train_loader))`.

    ## References
    - https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate
    - https://pytorch.org/docs/stable/generated/torch.optim.lr_scheduler.OneCycleLR.html
      ("step should be called after a batch has been used for training")
    - The H200 reference run `sched_per_iter-s0` (../shared/reference-runs/).
    """

    code = "FIT002"
    name = "scheduler-step-frequency"
    severity = Severity.WARNING

    VALID = [
        # a per-batch schedule stepped in a helper called for each batch of a loader named `train_dl`,
        # or from a comprehension over the batches
        Valid(STEP_HELPER.replace("SCHEDULER", "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_dl))").replace("BATCHES", "        for xb, yb in train_dl:\n            train_step(model, opt, sched, xb, yb)")),
        Valid(STEP_HELPER.replace("SCHEDULER", "torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_dl))").replace("BATCHES", "        losses = [train_step(model, opt, sched, xb, yb) for xb, yb in train_dl]")),
        # epoch scheduler stepped once per epoch, after the batch loop
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()
"""),
        # CosineAnnealingLR sized in iterations, stepped per batch
        Valid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(train_loader))
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # StepLR sized in iterations through a variable, stepped per batch
        Valid(HEADER + """
decay_every = len(train_loader) * 30
scheduler = lr_scheduler.StepLR(optimizer, step_size=decay_every, gamma=0.1)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # MultiStepLR with iteration milestones (super-resolution style)
        Valid(HEADER + """
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[200000, 400000, 600000], gamma=0.5)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # CosineAnnealingWarmRestarts stepped per batch with a fractional epoch
        Valid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingWarmRestarts(optimizer, T_0=10)
iters = len(train_loader)
for epoch in range(epochs):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step(epoch + i / iters)
"""),
        # stepped inside the batch loop, but only on the epoch's last batch
        Valid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
for epoch in range(epochs):
    for i, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        if (i + 1) % len(train_loader) == 0:
            scheduler.step()
"""),
        # a whole training as a while loop over steps, scheduler sized in steps
        Valid(HEADER + """
max_steps = 100000
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_steps)
global_step = 0
while global_step < max_steps:
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
        global_step += 1
"""),
        # OneCycleLR stepped per batch right after the optimizer
        Valid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader))
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # batch loop in a called function, epoch scheduler stepped in the caller's epoch loop
        Valid(HEADER + """
scheduler = lr_scheduler.MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()
"""),
        # OneCycleLR deliberately sized in epochs and stepped per epoch
        Valid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=epochs)
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()
"""),
        # an epoch-sized LambdaLR stepped per epoch; ExponentialLR meant per iteration
        Valid(HEADER + """
warmup = lr_scheduler.LambdaLR(optimizer, lambda epoch: min(1.0, (epoch + 1) / 5))
decay = lr_scheduler.ExponentialLR(optimizer, gamma=0.99995)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        decay.step()
    warmup.step()
"""),
        # `lr_step` is ambiguous (here it counts epochs): a LambdaLR stepped per epoch stays silent
        Valid(HEADER + """
scheduler = lr_scheduler.LambdaLR(optimizer, lambda epoch: 0.1 ** (epoch // args.lr_step))
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()
"""),
        # the size cannot be read: stay silent
        Valid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=cfg.t_max)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()
"""),
        # stepped every accumulation step or at the last batch: per optimizer step, not once per epoch
        Valid("""
import math
import torch
from torch.utils.data import DataLoader
from transformers import AutoModelForSequenceClassification, get_scheduler

model = AutoModelForSequenceClassification.from_pretrained("bert-base-cased", num_labels=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-5)
train_dataloader = DataLoader(train_dataset, shuffle=True, batch_size=16)
accumulation_steps = 4
num_update_steps_per_epoch = math.ceil(len(train_dataloader) / accumulation_steps)
lr_scheduler = get_scheduler("linear", optimizer=optimizer, num_warmup_steps=100,
                             num_training_steps=3 * num_update_steps_per_epoch)
for epoch in range(3):
    model.train()
    for step, batch in enumerate(train_dataloader):
        loss = model(**batch).loss / accumulation_steps
        loss.backward()
        if step % accumulation_steps == 0 or step == len(train_dataloader) - 1:
            optimizer.step()
            lr_scheduler.step()
            optimizer.zero_grad()
"""),
    ]

    INVALID = [
        # an epoch schedule stepped for each batch of a loader named `train_dl`
        Invalid(STEP_HELPER.replace("SCHEDULER", "torch.optim.lr_scheduler.StepLR(opt, step_size=30)").replace("BATCHES", "        for xb, yb in train_dl:\n            train_step(model, opt, sched, xb, yb)")
                .replace("    sched.step()", "    sched.step()  # FIT002")),
        # StepLR sized in epochs, stepped per batch (the H200 reference run)
        Invalid(HEADER + """
scheduler = lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.1)
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()  # FIT002
"""),
        # CosineAnnealingLR(T_max=epochs) stepped per batch inside train(epoch)
        Invalid(HEADER + """
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
def train(epoch):
    for batch_idx, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
        scheduler.step()  # FIT002
for epoch in range(epochs):
    train(epoch)
"""),
        # Trainer class: self.scheduler = MultiStepLR stepped per batch, behind `is not None`
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model, loader):
        self.model = model
        self.loader = loader
        self.optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
        self.scheduler = lr_scheduler.MultiStepLR(self.optimizer, milestones=[150, 225], gamma=0.1)
    def train_epoch(self):
        for x, y in self.loader:
            self.optimizer.zero_grad()
            criterion(self.model(x), y).backward()
            self.optimizer.step()
            if self.scheduler is not None:
                self.scheduler.step()  # FIT002
"""),
        # per-batch step in a helper called from the batch loop
        Invalid(HEADER + """
scheduler = lr_scheduler.ExponentialLR(optimizer, gamma=0.95)
def train_step(x, y):
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
    scheduler.step()  # FIT002
for epoch in range(epochs):
    for x, y in train_loader:
        train_step(x, y)
"""),
        # OneCycleLR sized in batches, stepped once per epoch
        Invalid(HEADER + """
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader))
def train(epoch):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
for epoch in range(epochs):
    train(epoch)
    scheduler.step()  # FIT002
"""),
        # transformers warm-up stepped at the end of the epoch function
        Invalid(HEADER + """
from transformers import get_linear_schedule_with_warmup
total_steps = len(train_loader) * epochs
scheduler = get_linear_schedule_with_warmup(optimizer, num_warmup_steps=500, num_training_steps=total_steps)
def train_one_epoch():
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()  # FIT002
for epoch in range(epochs):
    train_one_epoch()
"""),
        # a LambdaLR warm-up sized in iterations, stepped per epoch
        Invalid(HEADER + """
warmup_steps = 2000
scheduler = lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup_steps))
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()  # FIT002
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        for site in script.calls:
            obj = script.is_scheduler_step(site)
            if obj is None or site.node.args or script.never_runs(site.statement, site.function):
                continue
            cadence = intended_cadence(script, obj)
            if cadence is None:
                continue
            if cadence.per == "epoch" and stepped_per_batch(script, site):
                yield Report(site.node, self._per_batch_message(site, obj, cadence.evidence), statement=site.statement)
            elif cadence.per == "batch" and not stepped_per_batch(script, site) and stepped_per_epoch(script, site):
                yield Report(site.node, self._per_epoch_message(site, obj, cadence.evidence), statement=site.statement)
        for handed in lightning_schedulers(script):
            cadence = intended_cadence(script, handed.obj)
            if cadence is not None and (cadence.per == "batch") == (handed.interval == "epoch"):
                yield Report(handed.node, self._lightning_message(handed, cadence.evidence))

    @staticmethod
    def _per_batch_message(site: CallSite, obj: Obj, evidence: str) -> str:
        name = obj.qualname.rsplit(".", 1)[-1]
        return (
            f"`{site.written}()` runs once per batch, but {name} is sized in epochs ({evidence}): "
            "the learning rate decays per batch and collapses within the first epoch, so training "
            "stalls (in the H200 reference run, StepLR(15, 0.1) stepped per batch reached 5e-5 after "
            "one epoch and 5e-11 after three); step it once per epoch, after the batch loop, or size "
            "it in iterations (e.g. multiply by `len(train_loader)`)"
        )

    @staticmethod
    def _lightning_message(handed: HandedScheduler, evidence: str) -> str:
        name = handed.obj.qualname.rsplit(".", 1)[-1]
        if handed.interval == "epoch":
            return (
                f"Lightning steps this {name} once per epoch (a scheduler's default `interval`), but it is "
                f"sized in batches ({evidence}): the warm-up or cycle advances one batch's worth per "
                "epoch and the learning rate stays near its starting value; return it as "
                '`{"scheduler": scheduler, "interval": "step"}`'
            )
        return (
            f'Lightning steps this {name} every batch (`"interval": "step"`), but it is sized in epochs '
            f"({evidence}): the learning rate decays per batch and collapses within the first epoch; "
            'use `"interval": "epoch"` or size it in iterations'
        )

    @staticmethod
    def _per_epoch_message(site: CallSite, obj: Obj, evidence: str) -> str:
        name = obj.qualname.rsplit(".", 1)[-1]
        return (
            f"`{site.written}()` runs once per epoch, but {name} is sized in batches ({evidence}): the "
            "schedule advances one batch's worth per epoch, so the warm-up or cycle never completes "
            "and the learning rate stays near its starting value; step it right after "
            "`optimizer.step()` inside the batch loop"
        )
