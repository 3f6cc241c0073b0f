from __future__ import annotations

from typing import Iterator

from fitlint.findings import Severity
from fitlint.analysis.optimization import (
    function_zeroes_gradients,
    loop_calls_backward,
    loop_zeroes_gradients,
    zeroes_directly,
)
import libcst as cst

from fitlint.fixes.edits import block_statements, insert_before, statement_line
from fitlint.fixes.safety import always_of_kind
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis import catalog
from fitlint.analysis.script import CallSite, FunctionInfo, LoopInfo, Script, code_of
from fitlint.analysis.catalog import ObjKind

HEADER = """\
import torch
from torch import nn, optim
model = nn.Linear(10, 2)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.05)
train_loader = torch.utils.data.DataLoader(dataset, batch_size=64, shuffle=True)
"""

MAX_CALLER_DEPTH = 4


class MissingZeroGrad(Rule):
    """
    ## What it does
    Flags `optimizer.step()` in a loop that calls `backward()` every iteration but never zeroes
    the gradients: no `optimizer.zero_grad()`, no `model.zero_grad()`, no `param.grad = None` or
    `p.grad.zero_()`, no helper that does it, neither in the loop nor in the functions it calls.
    A `zero_grad()` made once before the loop does not count: it clears only the first batch.

    Intended gradient accumulation (`zero_grad()` after every k-th `step()`), `zero_grad()` after
    `step()`, `zero_grad()` inside an LBFGS closure, `netD.zero_grad()` in a GAN, and
    `accelerator.backward(loss)` / `scaler.scale(loss).backward()` are all recognized. When the
    step lives in a helper (`train_step`) called from the loop, the loop and the helper are read
    together; a helper that is never called in this file is not judged. Distributed autograd
    (`with dist_autograd.context() as ctx:` and a `DistributedOptimizer`) keeps each context's
    gradients apart: nothing accumulates, nothing is flagged.

    ## Why is this bad?
    `backward()` adds to `.grad`; it never overwrites it. Without zeroing, each step applies the
    sum of the gradients of every batch so far: the effective step grows with every iteration
    and training diverges. In the H200 reference run (SGD, lr 0.05) the loss was NaN within the
    first epochs and accuracy stayed at chance (9.7% on 10 classes).

    ## Example
    ```python
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Use instead
    ```python
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    ```

    ## Fix safety
    The fix inserts `optimizer.zero_grad()` as the first statement of the loop that calls
    `backward()` and `step()`, spelling the optimizer exactly as the step does
    (`self.optimizer.zero_grad()`, the optimizer passed to `scaler.step(...)`), and only when
    that object is known to be an optimizer with `zero_grad()` (built by `torch.optim` or another
    optimizer library in this file; not a factory the analysis cannot see into). It is safe: every
    iteration then starts from zero gradients, which is what a loop that steps every iteration
    without accumulating means, and nothing that ran before the first `backward()` of an iteration
    could have read this iteration's gradients. There is no fix when the step lives in a helper
    called from the loop (the helper's optimizer may not be visible there), when the loop steps
    more than one optimizer (where each should be zeroed depends on which backward feeds which
    network), or when the loop body is a one-line suite.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.optim.Optimizer.zero_grad.html
    - https://pytorch.org/tutorials/recipes/recipes/zeroing_out_gradients.html
    """

    code = "FIT501"
    name = "missing-zero-grad"
    severity = Severity.ERROR
    fixable = True

    VALID = [
        # the canonical loop
        Valid(HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
"""),
        # zero_grad after step() is just as good
        Valid(HEADER + """
for x, y in train_loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    optimizer.zero_grad(set_to_none=True)
"""),
        # intended gradient accumulation
        Valid(HEADER + """
accum = 4
optimizer.zero_grad()
for i, (x, y) in enumerate(train_loader):
    loss = criterion(model(x), y) / accum
    loss.backward()
    if (i + 1) % accum == 0:
        optimizer.step()
        optimizer.zero_grad()
"""),
        # a GAN: each network zeroes its own gradients through the model
        Valid(HEADER + """
netD, netG = Discriminator(), Generator()
optimizerD = optim.Adam(netD.parameters(), lr=2e-4)
optimizerG = optim.Adam(netG.parameters(), lr=2e-4)
for real, _ in train_loader:
    netD.zero_grad()
    errD = criterion(netD(real), ones) + criterion(netD(netG(noise).detach()), zeros)
    errD.backward()
    optimizerD.step()
    netG.zero_grad()
    errG = criterion(netD(netG(noise)), ones)
    errG.backward()
    optimizerG.step()
"""),
        # a local reset_grad() helper
        Valid(HEADER + """
def reset_grad():
    g_optimizer.zero_grad()
    d_optimizer.zero_grad()
for x, y in train_loader:
    d_loss = criterion(model(x), y)
    reset_grad()
    d_loss.backward()
    optimizer.step()
"""),
        # gradients cleared by hand
        Valid(HEADER + """
for x, y in train_loader:
    for param in model.parameters():
        param.grad = None
    criterion(model(x), y).backward()
    optimizer.step()
"""),
        Valid(HEADER + """
for x, y in train_loader:
    criterion(model(x), y).backward()
    optimizer.step()
    for p in model.parameters():
        if p.grad is not None:
            p.grad.data.zero_()
"""),
        # LBFGS: zero_grad and backward inside the closure
        Valid(HEADER + """
optimizer = optim.LBFGS(model.parameters())
for x, y in train_loader:
    def closure():
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        return loss
    optimizer.step(closure)
"""),
        # accelerate: accelerator.backward(loss) with zero_grad in place
        Valid(HEADER + """
from accelerate import Accelerator
accelerator = Accelerator()
model, optimizer, train_loader = accelerator.prepare(model, optimizer, train_loader)
for batch in train_loader:
    outputs = model(**batch)
    accelerator.backward(outputs.loss)
    optimizer.step()
    optimizer.zero_grad()
"""),
        # zero_grad in the train_step helper the loop calls
        Valid(HEADER + """
def train_step(x, y):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()
for epoch in range(5):
    for x, y in train_loader:
        train_step(x, y)
"""),
        # zero_grad in the loop, the step in a helper
        Valid(HEADER + """
def update(loss):
    loss.backward()
    optimizer.step()
for x, y in train_loader:
    optimizer.zero_grad()
    update(criterion(model(x), y))
"""),
        # AMP, several optimizers zeroed in a loop of their own
        Valid(HEADER + """
scaler = torch.cuda.amp.GradScaler()
optimizers = [optimizer]
for x, y in train_loader:
    for opt in optimizers:
        opt.zero_grad()
    with torch.autocast("cuda"):
        loss = criterion(model(x), y)
    scaler.scale(loss).backward()
    scaler.step(optimizer)
    scaler.update()
"""),
        # a step helper never called in this file: not judged
        Valid(HEADER + """
def optimizer_step(loss):
    loss.backward()
    optimizer.step()
"""),
        # distributed autograd: each context holds its own gradients, DistributedOptimizer has
        # no zero_grad() (the RPC tutorial's trainer loop)
        Valid("""
import torch
import torch.distributed.autograd as dist_autograd
from torch import optim
from torch.distributed.optim import DistributedOptimizer

def run_trainer(remote_emb_module, rank):
    model = HybridModel(remote_emb_module, rank)
    opt = DistributedOptimizer(optim.SGD, model.remote_parameters(), lr=0.05)
    criterion = torch.nn.CrossEntropyLoss()
    for epoch in range(100):
        for indices, offsets, target in get_next_batch(rank):
            with dist_autograd.context() as context_id:
                output = model(indices, offsets)
                loss = criterion(output, target)
                dist_autograd.backward(context_id, [loss])
                opt.step(context_id)
"""),
        # the DistributedOptimizer stepped in a helper, outside the `with` of its caller
        Valid("""
import torch.distributed.autograd as dist_autograd
from torch import optim
from torch.distributed.optim import DistributedOptimizer

opt = DistributedOptimizer(optim.Adam, param_rrefs, lr=1e-3)

def apply_update(ctx):
    opt.step(ctx)

for batch in batches:
    with dist_autograd.context() as ctx:
        loss = model(batch).sum()
        dist_autograd.backward(ctx, [loss])
        apply_update(ctx)
"""),
    ]

    INVALID = [
        # an optimizer from a factory the analysis cannot see into: flagged, but no fix (its
        # class is not known to have zero_grad())
        Invalid(HEADER + """
optimizer = build_optimizer(config, model)
for x, y in train_loader:
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()  # FIT501
"""),
        Invalid(HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()  # FIT501
""", fixed=HEADER + """
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()  # FIT501
"""),
        # zeroed once before the loop only
        Invalid(HEADER + """
def train(epoch):
    model.train()
    optimizer.zero_grad()
    for batch_idx, (x, y) in enumerate(train_loader):
        output = model(x)
        loss = criterion(output, y)
        loss.backward()
        optimizer.step()  # FIT501
for epoch in range(10):
    train(epoch)
"""),
        # zeroed once per epoch, stepped per batch
        Invalid(HEADER + """
for epoch in range(10):
    optimizer.zero_grad()
    for x, y in train_loader:
        criterion(model(x), y).backward()
        optimizer.step()  # FIT501
"""),
        # the step lives in a helper; neither it nor the loop zeroes
        Invalid(HEADER + """
def train_step(x, y):
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()  # FIT501
    return loss.item()
for epoch in range(5):
    for x, y in train_loader:
        train_step(x, y)
"""),
        # a Trainer class with AMP
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=1e-3)
        self.scaler = torch.cuda.amp.GradScaler()
    def fit(self, loader, epochs):
        for epoch in range(epochs):
            for x, y in loader:
                with torch.autocast("cuda"):
                    loss = criterion(self.model(x), y)
                self.scaler.scale(loss).backward()
                self.scaler.step(self.optimizer)  # FIT501
                self.scaler.update()
""", fixed=HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = optim.AdamW(model.parameters(), lr=1e-3)
        self.scaler = torch.cuda.amp.GradScaler()
    def fit(self, loader, epochs):
        for epoch in range(epochs):
            for x, y in loader:
                self.optimizer.zero_grad()
                with torch.autocast("cuda"):
                    loss = criterion(self.model(x), y)
                self.scaler.scale(loss).backward()
                self.scaler.step(self.optimizer)  # FIT501
                self.scaler.update()
"""),
        # accelerate: the backward is accelerator.backward(loss)
        Invalid(HEADER + """
from accelerate import Accelerator
accelerator = Accelerator()
for batch in train_loader:
    loss = model(**batch).loss
    accelerator.backward(loss)
    optimizer.step()  # FIT501
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        reported: set[int] = set()
        for site in script.calls:
            if not script.is_optimizer_step(site) or _per_context_gradients(script, site):
                continue
            region = self._unzeroed_region(script, site)
            if region is None or id(region) in reported:
                continue
            reported.add(id(region))
            yield Report(site.node, self._message(script, site, region), statement=site.statement,
                         fix=_fix(script, site, region), basis=script.step_basis(site))

    def _unzeroed_region(self, script: Script, site: CallSite) -> LoopInfo | None:
        """The loop around the step that calls backward every iteration and never zeroes
        gradients, or None when gradients are zeroed or the analysis cannot tell."""
        verdict = self._verdict(script, site, 0)
        return verdict if isinstance(verdict, LoopInfo) else None

    def _verdict(self, script: Script, site: CallSite, depth: int) -> LoopInfo | bool | None:
        """A LoopInfo: that loop never zeroes; False: zeroed; None: cannot tell."""
        for loop in script.enclosing_loops(site.loop):
            if loop_calls_backward(script, loop):
                return False if loop_zeroes_gradients(script, loop) else loop
        function = site.function
        if function.is_module or depth >= MAX_CALLER_DEPTH or function_zeroes_gradients(script, function):
            return None
        callers = script.call_sites_of(function)
        if not callers:
            return None
        verdicts = [self._verdict(script, caller, depth + 1) for caller in callers]
        if all(isinstance(verdict, LoopInfo) for verdict in verdicts):
            return verdicts[0]
        return None

    def _message(self, script: Script, site: CallSite, loop: LoopInfo) -> str:
        where = "before the loop only" if self._zeroed_outside(script, loop.function, loop) else "anywhere in the loop"
        return (
            f"`{site.name or 'step'}()` applies gradients that are never zeroed (no `zero_grad()` {where}): "
            "`backward()` adds each batch's gradients to all earlier ones, so the effective step grows "
            "every iteration and training diverges (loss to NaN, accuracy at chance); call "
            "`optimizer.zero_grad()` once per iteration, before `backward()` or after `step()`"
        )

    @staticmethod
    def _zeroed_outside(script: Script, function: FunctionInfo, loop: LoopInfo) -> bool:
        return any(zeroes_directly(other.node) and not loop.contains(other.loop) for other in function.calls)


def _per_context_gradients(script: Script, site: CallSite) -> bool:
    """The step runs in a distributed autograd context (``with dist_autograd.context() as ctx:``)
    or steps a ``DistributedOptimizer``: every context starts with fresh gradients."""
    if any(script.qualname(manager.func) in catalog.DIST_AUTOGRAD_CONTEXTS for manager in site.withs):
        return True
    receiver = site.receiver
    return receiver is not None and any(
        isinstance(bound.expr, cst.Call) and script.qualname(bound.expr.func) in catalog.DISTRIBUTED_OPTIMIZERS
        for bound in script.values(receiver, site.function)
    )


def _optimizer_expr(script: Script, site: CallSite) -> cst.BaseExpression | None:
    """The optimizer a step call steps: ``optimizer`` in ``optimizer.step()``, the argument of
    ``scaler.step(optimizer)``."""
    receiver = site.receiver
    if receiver is None:
        return None
    kinds = {obj.kind for obj in script.objects(receiver, site.function)}
    last = (code_of(receiver).rsplit(".", 1)[-1]).lower()
    if ObjKind.GRAD_SCALER in kinds or (ObjKind.OPTIMIZER not in kinds and "scaler" in last):
        return site.arg(0, "optimizer")
    return receiver


def _fix(script: Script, site: CallSite, loop: LoopInfo) -> Fix | None:
    if loop.function is not site.function:
        return None  # the step is in a helper: its optimizer may not be in scope at the loop
    body = block_statements(loop.node)
    if not body:
        return None
    optimizers = set()
    for other in loop.all_calls():
        if other.function is site.function and script.is_optimizer_step(other):
            expr = _optimizer_expr(script, other)
            # only a method the object's class is known to have: a torch (or catalogued) optimizer
            if expr is None or not always_of_kind(script, expr, other.function, ObjKind.OPTIMIZER):
                return None
            optimizers.add(code_of(expr))
    if len(optimizers) != 1:
        return None
    name = optimizers.pop()
    return Fix(f"call `{name}.zero_grad()` at the top of the loop",
               (insert_before(body[0], statement_line(f"{name}.zero_grad()")),))
