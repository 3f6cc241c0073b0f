from __future__ import annotations

import re
from typing import Iterator

import libcst as cst

from fitlint.analysis import catalog
from fitlint.findings import Severity
from fitlint.analysis.optimization import (
    Number,
    group_value,
    number,
    opt_in_flag,
    optimizer_params,
    optimizers,
    param_groups,
    rate_scaled_by_hand,
    rate_set_elsewhere,
    trains_nothing,
)
from fitlint.rule import Invalid, Report, Rule, Valid
from fitlint.analysis.script import Script, code_of, dotted

HEADER = """\
import torch
from torch import nn, optim
from torch.optim import lr_scheduler
model = nn.Linear(10, 2)
"""

# Optimizer family -> (option holding its upper bound, usual range shown in the message).
# Optimizers not listed (LARS, LAMB, Lion, Adadelta, LBFGS, Rprop, ...) have no upper bound here:
# Adadelta and LBFGS default to lr=1.0, layer-wise optimizers take large rates on purpose.
FAMILIES = {
    "SGD": ("sgd_max_lr", "1e-4 to 0.5"),
    "ASGD": ("sgd_max_lr", "1e-4 to 0.5"),
    "RMSprop": ("adaptive_max_lr", "1e-5 to 1e-2"),
    "Adagrad": ("adagrad_max_lr", "1e-3 to 0.1"),
    **{name: ("adaptive_max_lr", "1e-5 to 1e-2") for name in catalog.ADAM_FAMILY},
}
# The lower bound applies to these as well (their defaults are far above it).
LOW_BOUND_ONLY = frozenset({"Adadelta", "LBFGS", "Rprop", "Adafactor"})
# With gradients clipped, large SGD rates are a recipe (recurrent language models: lr=20-30).
_CLIPPING = frozenset({"clip_grad_norm_", "clip_grad_norm", "clip_grad_value_"})
# A backbone frozen (`p.requires_grad = False`, `requires_grad_(False)`) ...
_FREEZES = re.compile(r"requires_grad\s*=\s*false|requires_grad_\(\s*(requires_grad\s*=\s*)?false")


def _trains_what_still_requires_grad(script: Script, obj) -> bool:
    """... and an optimizer over the parameters still requiring gradients
    (`filter(lambda p: p.requires_grad, model.parameters())`, directly or through a name): a linear
    probe on frozen features, which self-supervised protocols train with SGD at lr=10-30 on purpose
    (MoCo's linear classification: lr=30)."""
    params = optimizer_params(obj)
    if params is None:
        return False
    values = [bound.expr for bound in script.values(params, obj.function)] if type(params) is cst.Name else []
    return any("requires_grad" in code_of(expr) or _head_parameters(expr) for expr in [params, *values])


def _head_parameters(expr: cst.BaseExpression) -> bool:
    """``model.fc.parameters()``: the parameters of one part of a model (its new head, in a file
    that freezes the rest)."""
    return (type(expr) is cst.Call and type(expr.func) is cst.Attribute and expr.func.attr.value == "parameters"
            and "." in (dotted(expr.func.value) or ""))


# a recurrent language model trained by hand-written SGD with clipping, AdamW behind a flag
OPT_IN = """
import argparse
import torch
import torch.nn as nn
import torch.nn.functional as F

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=20, help="initial learning rate"){marker}
parser.add_argument("--clip", type=float, default=0.25)
parser.add_argument("--use-optimizer", {flag})
args = parser.parse_args()

model = nn.LSTM(200, 200, num_layers=2, dropout=0.2)
head = nn.Linear(200, 10000)
params = list(model.parameters()) + list(head.parameters())
if args.use_optimizer:
    optimizer = torch.optim.AdamW(params, lr=args.lr)

lr = args.lr
for inputs, targets in batches:
    output, _ = model(inputs)
    loss = F.cross_entropy(head(output).flatten(0, 1), targets.flatten())
    if args.use_optimizer:
        optimizer.zero_grad()
    else:
        for p in params:
            p.grad = None
    loss.backward()
    torch.nn.utils.clip_grad_norm_(params, args.clip)
    if args.use_optimizer:
        optimizer.step()
    else:
        for p in params:
            p.data.add_(p.grad, alpha=-lr)
"""
# plotting a cosine schedule with a throw-away optimizer (the rate is only the curve's scale)
SCHEDULE_PLOT = """
import matplotlib.pyplot as plt
import torch

def save_lr_schedule(epochs, path):
    model = torch.nn.Linear(2, 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=100){marker}
    scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=10, eta_min=0)
    lrs = []
    for epoch in range(epochs):
        optimizer.step()
        lrs.append(optimizer.param_groups[0]["lr"])
        scheduler.step()
    plt.plot(lrs)
    plt.savefig(path)
{tail}"""
SCHEDULE_PLOT_TRAINING = """
def fit(model, optimizer, loader):
    for x, y in loader:
        optimizer.zero_grad()
        torch.nn.functional.mse_loss(model(x), y).backward()
        optimizer.step()
"""


def fits_gaussian_process(script: Script) -> bool:
    """A gpytorch marginal likelihood is built: the optimizer fits a Gaussian process's few
    log-scale hyper-parameters (length-scales, noise), for which gpytorch's own examples use
    Adam at lr=0.1."""
    if not any(module.startswith("gpytorch") for module in script.imports.values()):
        return False
    return any((script.qualname(site.node.func) or "").startswith("gpytorch.mlls.") for site in script.calls)


class LearningRateOutOfRange(Rule):
    """
    ## What it does
    Flags a literal learning rate far outside the usual range of its optimizer: at or above 1
    for SGD, at or above 0.1 for Adam, AdamW, RMSprop and the rest of the adaptive family, at or
    above 1 for Adagrad, and at or below 1e-6 for any of them (options `sgd_max_lr`,
    `adaptive_max_lr`, `adagrad_max_lr`, `min_lr`). The rate is read from `lr=` or the second
    positional argument, following names to literals (`LR = 1e-7`) and `args.lr` to the
    `default=` of `parser.add_argument("--lr", ...)`; the finding points at that literal, and a
    literal shared by several optimizers (an `--optim sgd|adam` switch) is reported only when it
    is out of range for all of them. Parameter groups' own rates are checked against the upper
    bound.

    Not flagged: rates computed from other values (`0.1 * batch_size / 256`), optimizers with no
    usual range here (LARS, LAMB, Lion; Adadelta and LBFGS, whose default is 1.0, are only checked
    for tiny rates), `lr=0` on a parameter group (a deliberate freeze), an optimizer driven by
    OneCycleLR or CyclicLR (they overwrite its rate), an optimizer at `lr=1` driven by a LambdaLR
    (the lambda is the rate itself: the Transformer's Noam warm-up), whose rate the script sets by hand
    (`param_group["lr"] = ...`; but a step decay of the optimizer's own rate, the 0.x-era
    `param_group["lr"] = args.lr * 0.1 ** (epoch // 30)` or `state["lr"] *= gamma`, still trains
    its first epochs at that rate: a rate too high is reported, a tiny one is not, since a
    multiple may be a warm-up up from it), grows in a learning-rate range test (an `LRFinder`, an
    ExponentialLR with `gamma > 1`: the start value is tiny on purpose) or comes from a checkpoint
    (`optimizer.load_state_dict(...)`, unless only when resuming: `if args.resume:`), a
    throw-away optimizer that only drives a
    learning-rate scheduler in a file that computes no gradient (a schedule plotted or tested),
    a command-line default given to an optimizer built only
    behind an opt-in flag (`if args.use_adamw:`: the default is meant for the default path),
    large SGD rates in scripts that clip gradients (`clip_grad_norm_`: recurrent language models
    train at lr=20-30 that way), large SGD rates over the parameters still requiring
    gradients once a backbone is frozen (`filter(lambda p: p.requires_grad, model.parameters())`
    after `requires_grad = False`: a linear probe, which MoCo's protocol trains at lr=30), large
    rates in scripts that fit a Gaussian process (a
    `gpytorch.mlls` marginal likelihood: a handful of log-scale hyper-parameters, fitted with Adam
    at lr=0.1 in gpytorch's own examples), and tiny rates in
    scripts that fine-tune a `from_pretrained` model (large pretrained models are tuned at 1e-6
    and below on purpose).

    ## Why is this bad?
    Too high, and the first updates overshoot: the loss jumps to NaN within the first epoch and
    accuracy stays at chance (H200 reference run: SGD with lr=8, NaN loss, 9.7% on 10 classes).
    Too low, and nothing moves: after 40 epochs at lr=1e-6 the same run was at 10.6%. Both read
    as "the model does not learn" (seed points 1 and 7).

    ## Example
    ```python
    optimizer = optim.Adam(model.parameters(), lr=1)
    ```

    ## Use instead
    ```python
    optimizer = optim.Adam(model.parameters(), lr=1e-3)
    ```

    ## References
    - https://pytorch.org/docs/stable/optim.html
    - The seed document (../shared/seed/), points 1 and 7: learning rate too small, too large.
    """

    code = "FIT505"
    name = "learning-rate-out-of-range"
    severity = Severity.WARNING
    options = {"sgd_max_lr": 1.0, "adaptive_max_lr": 0.1, "adagrad_max_lr": 1.0, "min_lr": 1e-6}

    VALID = [
        Valid(HEADER + "optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)\n"),
        Valid(HEADER + "optimizer = optim.Adam(model.parameters(), lr=3e-4)\n"),
        # Adadelta's and LBFGS's default is 1.0
        Valid(HEADER + "optimizer = optim.Adadelta(model.parameters(), lr=1.0)\n"),
        Valid(HEADER + "optimizer = optim.LBFGS(model.parameters(), lr=1, max_iter=20)\n"),
        Valid(HEADER + "optimizer = optim.Adagrad(model.parameters(), lr=0.1)\n"),
        # layer-wise adaptive optimizers take large rates on purpose
        Valid(HEADER + """
from torch_optimizer import Lamb
from timm.optim import Lars
optimizer = Lamb(model.parameters(), lr=5.0)
lars = Lars(model.parameters(), lr=4.8)
"""),
        # scaled by the batch size: not a literal
        Valid(HEADER + """
batch_size = 4096
optimizer = optim.SGD(model.parameters(), lr=0.1 * batch_size / 256, momentum=0.9)
"""),
        # a recurrent language model with clipped gradients: large SGD rates are the recipe
        Valid(HEADER + """
rnn = nn.LSTM(400, 1150, num_layers=3)
optimizer = optim.SGD(rnn.parameters(), lr=30, weight_decay=1.2e-6)
for x, y in batches:
    optimizer.zero_grad()
    loss = criterion(rnn(x)[0], y)
    loss.backward()
    torch.nn.utils.clip_grad_norm_(rnn.parameters(), 0.25)
    optimizer.step()
"""),
        # a linear probe on a frozen backbone (MoCo's linear classification protocol: SGD at lr=30
        # over the head, the only parameters still requiring gradients)
        Valid(HEADER + """
import torchvision.models as models
backbone = models.resnet50()
for name, param in backbone.named_parameters():
    if name not in ["fc.weight", "fc.bias"]:
        param.requires_grad = False
parameters = list(filter(lambda p: p.requires_grad, backbone.parameters()))
assert len(parameters) == 2  # fc.weight, fc.bias
optimizer = optim.SGD(parameters, 30.0, momentum=0.9, weight_decay=0.0)
"""),
        # a parameter group frozen with lr=0
        Valid(HEADER + """
optimizer = optim.SGD([
    {"params": model.backbone.parameters(), "lr": 0},
    {"params": model.head.parameters()},
], lr=0.01, momentum=0.9)
"""),
        # OneCycleLR overwrites the optimizer's lr with max_lr / div_factor
        Valid(HEADER + """
optimizer = optim.SGD(model.parameters(), lr=1e-8, momentum=0.9)
scheduler = lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=10000)
"""),
        # a warm-up by hand sets the rate every step
        Valid(HEADER + """
optimizer = optim.AdamW(model.parameters(), lr=0)
for step in range(1000):
    for group in optimizer.param_groups:
        group["lr"] = 1e-3 * min(1.0, step / 100)
"""),
        # a warm-up by hand up from the constructor's tiny rate: a multiple of it is no decay
        Valid(HEADER + """
base_lr = 1e-7
optimizer = optim.Adam(model.parameters(), lr=base_lr)
for step in range(1000):
    for group in optimizer.param_groups:
        group["lr"] = base_lr * 1000 * min(1.0, step / 100)
"""),
        # a warm-up scheduler starting from a tiny factor: the base rate is normal
        Valid(HEADER + """
optimizer = optim.AdamW(model.parameters(), lr=5e-4, weight_decay=0.05)
warmup = lr_scheduler.LinearLR(optimizer, start_factor=1e-4, total_iters=500)
"""),
        # the command-line default is normal
        Valid(HEADER + """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()
optimizer = optim.SGD(model.parameters(), lr=args.lr)
"""),
        # one command-line default shared by an SGD and an Adam branch: normal for SGD
        Valid(HEADER + """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--optim", default="sgd", choices=["sgd", "adam"])
parser.add_argument("--lr", type=float, default=0.1)
args = parser.parse_args()
if args.optim == "sgd":
    optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
else:
    optimizer = optim.Adam(model.parameters(), lr=args.lr)
"""),
        # fine-tuning a large pretrained model at a tiny rate on purpose
        Valid(HEADER + """
from transformers import AutoModelForCausalLM
policy = AutoModelForCausalLM.from_pretrained("gpt2")
optimizer = optim.AdamW(policy.parameters(), lr=5e-7)
"""),
        # a learning-rate range test from 1e-7: the rate grows every batch (ExponentialLR with gamma > 1)
        Valid("""
import math
import torch
import torch.nn.functional as F
from torch import nn, optim

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = optim.SGD(model.parameters(), lr=1e-7, momentum=0.9)
# a learning-rate range test: the rate grows 10x every 100 batches from 1e-7
scheduler = optim.lr_scheduler.ExponentialLR(optimizer, gamma=10 ** (1 / 100))
rates, losses = [], []
for step, (x, y) in enumerate(train_loader):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
    rates.append(scheduler.get_last_lr()[0])
    losses.append(loss.item())
    scheduler.step()
    if step > 700 or not math.isfinite(loss.item()):
        break
"""),
        # an LRFinder range test starts from a tiny rate on purpose
        Valid("""
import torch
from torch import nn, optim
from torch_lr_finder import LRFinder

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-7, weight_decay=1e-2)
lr_finder = LRFinder(model, optimizer, criterion, device="cuda")
lr_finder.range_test(train_loader, end_lr=100, num_iter=100)
lr_finder.plot()
lr_finder.reset()
"""),
        # lr=0 as a placeholder that load_state_dict overwrites with the checkpoint's rate
        Valid("""
import torch
from torch import nn, optim

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
optimizer = optim.Adam(model.parameters(), lr=0)  # the rate comes with the checkpoint
checkpoint = torch.load("last.pt")
model.load_state_dict(checkpoint["model"])
optimizer.load_state_dict(checkpoint["optimizer"])
"""),
        # a Gaussian process's hyper-parameters (length-scale, noise) are fitted at lr=0.1
        Valid("""
import torch
import gpytorch


class GP(gpytorch.models.ExactGP):
    def __init__(self, x, y, likelihood):
        super().__init__(x, y, likelihood)
        self.mean = gpytorch.means.ConstantMean()
        self.covar = gpytorch.kernels.ScaleKernel(gpytorch.kernels.RBFKernel())

    def forward(self, x):
        return gpytorch.distributions.MultivariateNormal(self.mean(x), self.covar(x))


x, y = torch.linspace(0, 1, 50), torch.sin(torch.linspace(0, 6, 50))
likelihood = gpytorch.likelihoods.GaussianLikelihood()
model = GP(x, y, likelihood)
model.train()
likelihood.train()
optimizer = torch.optim.Adam(model.parameters(), lr=0.1)
mll = gpytorch.mlls.ExactMarginalLogLikelihood(likelihood, model)
for i in range(50):
    optimizer.zero_grad()
    loss = -mll(model(x), y)
    loss.backward()
    optimizer.step()
"""),
        # --lr 20 is for the default path (hand-written SGD with clipping); AdamW is opt-in
        Valid(OPT_IN.format(flag='action="store_true", help="AdamW instead of plain SGD"', marker="")),
        # a dummy optimizer that only drives a schedule to plot it: no gradient is ever computed
        Valid(SCHEDULE_PLOT.format(tail="", marker="")),
    ]

    INVALID = [
        Invalid(HEADER + "optimizer = optim.SGD(model.parameters(), lr=8, momentum=0.9)  # FIT505\n"),
        Invalid(HEADER + "optimizer = optim.Adam(model.parameters(), 0.5)  # FIT505\n"),
        Invalid(HEADER + "optimizer = torch.optim.SGD(model.parameters(), lr=1e-6)  # FIT505\n"),
        # through a constant: the finding points at the constant
        Invalid(HEADER + """
LR = 1e-7  # FIT505
optimizer = optim.AdamW(model.parameters(), lr=LR)
"""),
        # an argparse default
        Invalid(HEADER + """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=10.0)  # FIT505
args = parser.parse_args()
optimizer = optim.SGD(model.parameters(), lr=args.lr, momentum=0.9)
"""),
        # the backbone frozen, but the optimizer is handed every parameter: lr=30 is the whole network's
        Invalid(HEADER + """
import torchvision.models as models
backbone = models.resnet50()
for name, param in backbone.named_parameters():
    if name not in ["fc.weight", "fc.bias"]:
        param.requires_grad = False
optimizer = optim.SGD(backbone.parameters(), 30.0, momentum=0.9)  # FIT505
"""),
        # Adam on the probe: the large-rate protocol is SGD's
        Invalid(HEADER + """
model.requires_grad_(False)
model.fc.requires_grad_(True)
optimizer = optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1.0)  # FIT505
"""),
        # a parameter group's own rate
        Invalid(HEADER + """
optimizer = optim.Adam([
    {"params": model.encoder.parameters(), "lr": 1e-4},
    {"params": model.head.parameters(), "lr": 1.0},  # FIT505
], lr=1e-4)
"""),
        # a Trainer whose default rate is out of range
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model, lr=2.0):  # FIT505
        self.model = model
        self.optimizer = optim.RMSprop(model.parameters(), lr=lr)
trainer = Trainer(model)
"""),
        # the same plotting helper in a file that also trains: the rate may be this model's
        Invalid(SCHEDULE_PLOT.format(tail=SCHEDULE_PLOT_TRAINING, marker="  # FIT505")),
        # handed to a training routine from another module: it trains there
        Invalid(HEADER + """
from engine import fit
optimizer = optim.Adam(model.parameters(), lr=1)  # FIT505
scheduler = lr_scheduler.StepLR(optimizer, step_size=10)
fit(model, optimizer, scheduler, epochs=30)
"""),
        # AdamW is the default path here (the flag defaults to True): lr=20 reaches it
        Invalid(OPT_IN.format(flag='action="store_true", default=True', marker="  # FIT505")),
        # a step decay by hand of the constructor's own rate (bearpaw's `state` dict), and a
        # checkpoint restored only when resuming: a fresh run trains its first epochs at 0.1
        Invalid(HEADER + """
import argparse
parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=0.1)  # FIT505
parser.add_argument("--resume", default="")
args = parser.parse_args()
state = {k: v for k, v in args._get_kwargs()}
optimizer = optim.AdamW(model.parameters(), lr=args.lr, weight_decay=5e-4)
if args.resume:
    optimizer.load_state_dict(torch.load(args.resume)["optimizer"])
for epoch in range(300):
    if epoch in (150, 225):
        state["lr"] *= 0.1
        for param_group in optimizer.param_groups:
            param_group["lr"] = state["lr"]
"""),
        # the same decay written as a product of the starting rate
        Invalid(HEADER + """
base_lr = 3.0  # FIT505
optimizer = optim.SGD(model.parameters(), lr=base_lr, momentum=0.9)
for epoch in range(90):
    lr = base_lr * (0.1 ** (epoch // 30))
    for param_group in optimizer.param_groups:
        param_group["lr"] = lr
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        overridden = rate_set_elsewhere(script)
        scaled = rate_scaled_by_hand(script)
        pretrained = any(site.method == "from_pretrained" for site in script.calls)
        clipped = any(site.method in _CLIPPING for site in script.calls)
        freezes = _FREEZES.search(script.lowered) is not None
        gaussian_process = fits_gaussian_process(script)
        # One literal (a constant, a command-line default) may feed several optimizers, e.g. an
        # `--optim sgd|adam` switch: report it only when it is out of range for every one of them.
        verdicts: dict[int, tuple[cst.BaseExpression, list[str | None]]] = {}
        for obj in optimizers(script):
            if id(obj.call) in overridden:
                continue
            family = obj.qualname.rsplit(".", 1)[-1]
            rate = number(script, script.keyword_value(obj.call, 1, "lr", obj.function), obj.function)
            site = script.site_of(obj.call)
            if rate is not None and rate.via == "argparse" and site is not None and opt_in_flag(script, site):
                rate = None  # the command-line default is for the default path, not this opt-in one
            rated: list[tuple[cst.BaseExpression, str | None]] = []
            large_sgd = clipped or freezes and _trains_what_still_requires_grad(script, obj)
            if rate is not None:
                low = id(obj.call) not in scaled  # a multiple of a tiny rate may be a warm-up up from it
                rated.append((rate.node, self._message(family, rate, pretrained, large_sgd, low=low,
                                                       high=not gaussian_process)))
            for group in param_groups(optimizer_params(obj)):
                group_rate = number(script, group_value(group, "lr"), obj.function)
                if group_rate is None or group_rate.value == 0:
                    continue  # lr=0 on a group freezes it on purpose
                rated.append((group_rate.node, self._message(family, group_rate, pretrained, large_sgd, low=False,
                                                             high=not gaussian_process)))
            if any(message for _, message in rated) and trains_nothing(script, obj):
                continue  # a dummy optimizer that only drives a schedule (plotted, tested): its rate trains nothing
            for node, message in rated:
                verdicts.setdefault(id(node), (node, []))[1].append(message)
        for node, messages in verdicts.values():
            if all(messages):
                yield Report(node, messages[0])

    def _message(self, family: str, rate: Number, pretrained: bool, large_sgd: bool, low: bool = True,
                 high: bool = True) -> str | None:
        if family not in FAMILIES and family not in LOW_BOUND_ONLY:
            return None
        source = {"argparse": "the command-line default ", "name": "", "literal": ""}[rate.via]
        shown = f"{rate.value:g}"
        if high and family in FAMILIES:
            option, usual = FAMILIES[family]
            if rate.value >= self.opts[option] and not (option == "sgd_max_lr" and large_sgd):
                return (
                    f"{source}lr={shown} is far above the usual range for {family} ({usual}): the first "
                    "updates overshoot and the loss can diverge to NaN within the first epoch, leaving "
                    "accuracy at chance; lower it (or find it with a learning-rate range test)"
                )
        if low and not pretrained and rate.value <= self.opts["min_lr"]:
            usual = FAMILIES[family][1] if family in FAMILIES else "well above 1e-6"
            return (
                f"{source}lr={shown} is far below the usual range for {family} ({usual}): the weights "
                "barely move, the loss stays flat and accuracy stays near chance for many epochs; "
                "raise it"
            )
        return None
