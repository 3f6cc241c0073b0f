from __future__ import annotations

import math
from typing import Iterator

import libcst as cst

from fitlint.fixes.edits import in_place_of, remove_statement, renamed_function, replace_node, without_arg
from fitlint.findings import Severity
from fitlint.fixes.safety import model_output_uses_ok, parent_of
from fitlint.analysis.outputs import FUNCTION_OPS, SIGMOID, SOFTMAX, Chain, LossFeed, Op, is_tensor_method, loss_feeds
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import Script, call_arg, code_of

HEADER = """\
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim
"""

LOOP = """
optimizer = optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        outputs = model(x)
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.step()
"""

# a pretrained model whose head is replaced by one ending in OUTPUT
PRETRAINED_HEAD = """
import torchvision
model = torchvision.models.densenet121(weights="DEFAULT")
for p in model.parameters():
    p.requires_grad = False
model.classifier = nn.Sequential(nn.Linear(1024, 256), nn.ReLU(), nn.Linear(256, 10),
                                 OUTPUT)MARK
criterion = nn.NLLLoss()
"""

# loss kind -> (the ops that double its own squashing, what the loss applies itself)
_DOUBLED = {
    "cross_entropy": ((SOFTMAX,), "CrossEntropyLoss applies log-softmax itself"),
    "nll": ((SOFTMAX,), "NLLLoss expects log-probabilities"),
    "bce_logits": ((SIGMOID, SOFTMAX), "a with-logits loss (BCEWithLogitsLoss, MultiLabelSoftMarginLoss, "
                                       "binary_cross_entropy_with_logits) applies a sigmoid itself"),
}


class DoubleSoftmax(Rule):
    """
    ## What it does
    Flags a softmax whose output is passed to `CrossEntropyLoss` / `F.cross_entropy` (which
    applies log-softmax itself): a model whose `forward` returns `F.softmax(...)`,
    `torch.softmax(...)`, `x.softmax(1)` or `self.softmax(...)` (when `self.softmax` is bound to
    `nn.Softmax`), an `nn.Sequential` ending in `nn.Softmax`, or `criterion(F.softmax(out, 1), y)`
    at the call site. Also a sigmoid (or softmax) output into `BCEWithLogitsLoss` (or
    `MultiLabelSoftMarginLoss`, which applies a sigmoid too), and a softmax
    (not `log_softmax`) into `NLLLoss`. A loss class of the file counts as the loss its `forward`
    hands its first argument to as it is (`BCEDiceLoss.forward(logits, target)` calling
    `self.bce(logits, target)` with `self.bce = nn.BCEWithLogitsLoss()`). It reports the softmax
    (or sigmoid) to remove.

    Left alone: `log_softmax` into `NLLLoss` (the intended pair); `log_softmax` into
    `CrossEntropyLoss` (harmless: log-softmax is idempotent, the loss and gradients are
    identical); `sigmoid` into `BCELoss`; a softmax used only to report probabilities or to sample
    (`probs = F.softmax(logits, 1)` while the loss takes `logits`); a softmax inside the network
    (attention) that is not its output; a model with softmax output trained with `MSELoss` or
    another loss that expects probabilities; an attribute named `softmax` bound to
    `nn.LogSoftmax`; a loss the analysis cannot resolve.

    ## Why is this bad?
    Cross-entropy on probabilities computes log-softmax of values already squashed into [0, 1]:
    even a perfect prediction (1 for the true class, 0 elsewhere) gives a loss of
    log(1 + (k-1)/e), 1.46 for 10 classes, and the gradients shrink as predictions sharpen.
    Training stalls at a high loss while accuracy still climbs slowly (the H200 reference run
    plateaus at 1.5-1.8 with 10 classes). A sigmoid before `BCEWithLogitsLoss` maps every
    prediction into (0.5, 0.73): the loss on negatives can never fall below log 2. `NLLLoss` on
    probabilities minimises -p instead of -log p: gradients do not grow for confident mistakes.

    ## Example
    ```python
    def forward(self, x):
        return F.softmax(self.fc(x), dim=1)

    loss = nn.CrossEntropyLoss()(model(x), y)
    ```

    ## Use instead
    ```python
    def forward(self, x):
        return self.fc(x)  # logits

    loss = nn.CrossEntropyLoss()(model(x), y)
    probs = F.softmax(model(x), dim=1)  # only where probabilities are reported
    ```

    ## Fix safety
    At the loss's call site (`criterion(F.softmax(out, 1), y)` -> `criterion(out, y)`; into
    `NLLLoss`, `F.softmax` -> `F.log_softmax`) the fix is safe: only the loss's input changes, and
    nothing else reads it.

    Inside the model (`return F.softmax(x, dim=1)` -> `return x`, the last `nn.Softmax` of an
    `nn.Sequential` removed, `nn.Softmax` -> `nn.LogSoftmax` before `NLLLoss`) the fix is unsafe
    (`--unsafe-fixes`): it changes what the model returns to every caller, from probabilities to
    logits (or log-probabilities). Code in other files (an inference script, an exported model, a
    checkpoint loaded elsewhere) may read those probabilities, and no analysis of this file can
    see it. Even as an unsafe fix it is offered only when every call of the model in this file
    passes its output to the flagged loss, to `argmax` / the indices of `max` (unchanged: softmax
    keeps the order), to a shape query or, before `CrossEntropyLoss`, to a softmax (which then
    gets the logits it expects); a model whose output is read as probabilities here
    (`confidence = model(x).max(1)[0]`, `model(x) > 0.5`) gets no fix. The forms are: the
    softmax call replaced by its input (`out = out.softmax(1)` is deleted), the Sequential's
    element removed with its line. A softmax bound to an attribute (`self.softmax(x)`) before
    `NLLLoss`, or a bare imported `softmax(x)`, has no fix (the rename would need a new binding).

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html
    - https://pytorch.org/docs/stable/generated/torch.nn.BCEWithLogitsLoss.html
    - https://pytorch.org/docs/stable/generated/torch.nn.NLLLoss.html
    """

    code = "FIT302"
    name = "double-softmax"
    severity = Severity.ERROR
    fixable = True

    VALID = [
        # spelled-out module calls into a loss the file defines itself, and a model whose last
        # module is not a softmax: the `.forward` form changes nothing
        Valid(HEADER + """
class SoftTargetLoss(nn.Module):
    def forward(self, probs, target):
        return -(target * probs.clamp_min(1e-8).log()).sum(1).mean()
model = nn.Sequential(nn.Linear(784, 10), nn.Softmax(dim=1))
plain = nn.Sequential(nn.Linear(784, 10))
criterion = SoftTargetLoss()
ce = nn.CrossEntropyLoss()
optimizer = optim.SGD(list(model.parameters()) + list(plain.parameters()), lr=0.01)
for x, y in train_loader:
    optimizer.zero_grad()
    loss = criterion.forward(model.forward(x), y) + ce.forward(plain.forward(x), y.argmax(1))
    loss.backward()
    optimizer.step()
"""),
        # a pretrained model's head replaced by one that ends in log-softmax, into NLLLoss
        Valid(HEADER + PRETRAINED_HEAD.replace("OUTPUT", "nn.LogSoftmax(dim=1)").replace("MARK", "") + LOOP),
        # log_softmax + NLLLoss
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return F.log_softmax(self.fc(x), dim=1)
model = Net()
criterion = nn.NLLLoss()
""" + LOOP),
        # sigmoid + BCELoss
        Valid(HEADER + """
model = nn.Sequential(nn.Linear(64, 1), nn.Sigmoid())
criterion = nn.BCELoss()
""" + LOOP),
        # softmax only to report probabilities; the loss takes the logits
        Valid(HEADER + """
model = nn.Linear(64, 10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for x, y in train_loader:
    optimizer.zero_grad()
    logits = model(x)
    probs = F.softmax(logits, dim=1)
    loss = criterion(logits, y)
    loss.backward()
    optimizer.step()
    confidence = probs.max(1)[0].mean()
"""),
        # the probabilities are computed after the loss, under the same name
        Valid(HEADER + """
model = nn.Linear(64, 10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for x, y in train_loader:
    optimizer.zero_grad()
    outputs = model(x)
    loss = criterion(outputs, y)
    loss.backward()
    optimizer.step()
    outputs = outputs.softmax(dim=1)
"""),
        # softmax for sampling
        Valid(HEADER + """
model = nn.Linear(64, 100)
logits = model(context)
next_token = torch.multinomial(F.softmax(logits[:, -1], dim=-1), num_samples=1)
"""),
        # log_softmax into CrossEntropyLoss: idempotent, identical loss and gradients
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return F.log_softmax(self.fc(x), dim=1)
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # an attribute NAMED softmax that holds LogSoftmax
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
        self.softmax = nn.LogSoftmax(dim=1)
    def forward(self, x):
        return self.softmax(self.fc(x))
model = Net()
criterion = nn.NLLLoss()
""" + LOOP),
        # softmax inside attention, not the output
        Valid(HEADER + """
class Attn(nn.Module):
    def __init__(self):
        super().__init__()
        self.q = nn.Linear(32, 32)
        self.k = nn.Linear(32, 32)
        self.out = nn.Linear(32, 5)
    def forward(self, x):
        weights = F.softmax(self.q(x) @ self.k(x).transpose(1, 2), dim=-1)
        pooled = (weights @ x).mean(1)
        return self.out(pooled)
model = Attn()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # distillation: a softmax output trained with MSELoss
        Valid(HEADER + """
class Student(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return torch.softmax(self.fc(x), dim=1)
model = Student()
criterion = nn.MSELoss()
""" + LOOP),
        # the loss cannot be resolved
        Valid(HEADER + """
model = nn.Sequential(nn.Linear(64, 10), nn.Softmax(dim=1))
criterion = losses[config.loss]
""" + LOOP),
    ]

    INVALID = [
        # the module calls spelled out (`model.forward(x)`, `loss.forward(fx, y)`), as pre-1.0
        # tutorials wrote them, with the loss and the model passed into the training helper
        Invalid(HEADER + """
def build_model(n_in, n_out):
    model = nn.Sequential()
    model.add_module("linear_1", nn.Linear(n_in, 512))
    model.add_module("relu_1", nn.ReLU())
    model.add_module("linear_2", nn.Linear(512, n_out))
    model.add_module("softmax", nn.Softmax(dim=1))  # FIT302
    return model
def train(model, loss, optimizer, x, y):
    optimizer.zero_grad()
    fx = model.forward(x)
    output = loss.forward(fx, y)
    output.backward()
    optimizer.step()
    return output.item()
model = build_model(784, 10)
loss = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)
for x, y in train_loader:
    train(model, loss, optimizer, x, y)
"""),
        # a pretrained model's head replaced by one that ends in softmax, into NLLLoss
        Invalid(HEADER + PRETRAINED_HEAD.replace("OUTPUT", "nn.Softmax(dim=1)").replace("MARK", "  # FIT302") + LOOP),
        # a Sequential whose last module is a head built on its own
        Invalid(HEADER + """
head = nn.Sequential(nn.Linear(256, 10), nn.Softmax(dim=1))  # FIT302
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), head)
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # forward returns F.softmax, CrossEntropyLoss
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)
    def forward(self, x):
        x = F.relu(self.fc1(x))
        return F.softmax(self.fc2(x), dim=1)  # FIT302
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP, fixed=HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 128)
        self.fc2 = nn.Linear(128, 10)
    def forward(self, x):
        x = F.relu(self.fc1(x))
        return self.fc2(x)  # FIT302
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # a Sequential ending in nn.Softmax
        Invalid(HEADER + """
model = nn.Sequential(
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
    nn.Softmax(dim=1),  # FIT302
)
criterion = nn.CrossEntropyLoss()
""" + LOOP, fixed=HEADER + """
model = nn.Sequential(
    nn.Linear(784, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
)
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # softmax at the call site
        Invalid(HEADER + """
model = nn.Linear(64, 10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for x, y in train_loader:
    optimizer.zero_grad()
    outputs = model(x)
    loss = criterion(F.softmax(outputs, 1), y)  # FIT302
    loss.backward()
    optimizer.step()
""", fixed=HEADER + """
model = nn.Linear(64, 10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
for x, y in train_loader:
    optimizer.zero_grad()
    outputs = model(x)
    loss = criterion(outputs, y)  # FIT302
    loss.backward()
    optimizer.step()
"""),
        # self.softmax bound to nn.Softmax, F.cross_entropy in a Lightning-style step
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
        self.softmax = nn.Softmax(dim=1)
    def forward(self, x):
        return self.softmax(self.fc(x))  # FIT302
    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)
"""),
        # sigmoid output into BCEWithLogitsLoss
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 1)
    def forward(self, x):
        return torch.sigmoid(self.fc(x)).squeeze(1)  # FIT302
model = Net()
criterion = nn.BCEWithLogitsLoss()
""" + LOOP),
        # softmax (not log_softmax) into NLLLoss
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        out = self.fc(x)
        out = out.softmax(dim=1)  # FIT302
        return out
model = Net()
criterion = nn.NLLLoss()
""" + LOOP, fixed=HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        out = self.fc(x)
        out = out.log_softmax(dim=1)  # FIT302
        return out
model = Net()
criterion = nn.NLLLoss()
""" + LOOP),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        seen: set[int] = set()
        for feed in loss_feeds(script):
            doubled = _DOUBLED.get(feed.kind)
            if doubled is None:
                continue
            kinds, applies = doubled
            for chain in feed.chains:
                op = chain.first
                if op is None or op.kind not in kinds or id(op.node) in seen:
                    continue
                seen.add(id(op.node))
                yield Report(op.at or op.node, self._message(feed.kind, op, chain, applies),
                             fix=_fix(script, feed, op) if op.at is None else None)

    @staticmethod
    def _message(kind: str, op: Op, chain: Chain, applies: str) -> str:
        where = "the model's output" if op.in_model else "the loss's input"
        name = "a sigmoid" if op.kind == SIGMOID else "a softmax"
        if kind == "cross_entropy":
            if chain.classes and chain.classes > 1:
                floor = f"{math.log(1 + (chain.classes - 1) / math.e):.2f} for these {chain.classes} classes"
            else:
                floor = "1.46 for 10 classes"
            return (
                f"{where} is already {name} and {applies}: the loss cannot fall below "
                f"log(1 + (k-1)/e) ({floor}) and gradients shrink as predictions sharpen, so "
                "training stalls at a high loss while accuracy still climbs; pass the raw logits "
                "and apply softmax only where probabilities are reported"
            )
        if kind == "nll":
            return (
                f"{where} is {name}, but {applies}: it then minimises -p instead of -log p, so "
                "confident mistakes get no stronger gradient and training stalls; use "
                "`log_softmax` (or drop it and use CrossEntropyLoss on the logits)"
            )
        return (
            f"{where} is already {name} and {applies}: every prediction is squashed twice into "
            "(0.5, 0.73), so the loss on negatives cannot fall below log 2 and the model cannot "
            "learn to say no; pass the raw logits (or keep the sigmoid and use BCELoss)"
        )


_SOFTMAX_FUNCTIONS = frozenset({"torch.softmax", "torch.nn.functional.softmax", "torch.special.softmax"})


def _fix(script: Script, feed: LossFeed, op: Op) -> Fix | None:
    """Remove the softmax / sigmoid (or turn a softmax into log_softmax before NLLLoss)."""
    node = op.node
    if type(node) is not cst.Call:
        return None
    if not op.in_model:
        # the loss's own argument: nothing else reads it
        if node is not feed.prediction:
            return None
        edit = _edit(script, feed, node)
        return None if edit is None else Fix(_description(feed, node, inside=False), (edit,))
    edit = _edit(script, feed, node)
    if edit is None:
        return None
    if not model_output_uses_ok(script, node, frozenset({feed.kind}), softmax_ok=feed.kind == "cross_entropy"):
        return None
    return Fix(_description(feed, node, inside=True), (edit,), safe=False)


def _description(feed: LossFeed, node: cst.Call, inside: bool) -> str:
    where = "the model's output" if inside else "the loss's input"
    if feed.kind == "nll":
        return f"apply `log_softmax` instead of `softmax` to {where}"
    return f"pass the logits: drop the {'sigmoid' if feed.kind == 'bce_logits' and 'igmoid' in code_of(node) else 'softmax'} from {where}"



def _edit(script: Script, feed: LossFeed, node: cst.Call):
    parent = parent_of(script, node)
    rename = feed.kind == "nll"
    # a layer of an nn.Sequential
    if type(parent) is cst.Arg and parent.value is node:
        sequential = parent_of(script, parent)
        if type(sequential) is cst.Call and script.qualname(sequential.func) == "torch.nn.Sequential":
            if parent.keyword is not None or parent.star:
                return None
            if rename:
                if script.qualname(node.func) != "torch.nn.Softmax":
                    return None
                renamed = renamed_function(node, "LogSoftmax")
                return None if renamed is None else replace_node(node, renamed)
            if sum(1 for arg in sequential.args if arg.keyword is None) < 2:
                return None
            return replace_node(sequential, without_arg(sequential, parent))
    func = node.func
    function = _function_of_call(script, node)
    if function is None:
        return None
    if script.is_imported(func) and (script.qualname(func) or "") in FUNCTION_OPS:
        if rename:
            if script.qualname(func) not in _SOFTMAX_FUNCTIONS:
                return None
            renamed = renamed_function(node, "log_softmax")
            return None if renamed is None else replace_node(node, renamed)
        inner = call_arg(node, 0, "input")
    elif is_tensor_method(script, func, function):
        if rename:
            if func.attr.value != "softmax":
                return None
            return replace_node(node, renamed_function(node, "log_softmax"))
        inner = func.value
    else:
        # a module called on the input: self.softmax(x), nn.Softmax(dim=1)(x)
        if rename or len(node.args) != 1 or node.args[0].keyword is not None or node.args[0].star:
            return None
        inner = node.args[0].value
    if inner is None:
        return None
    # `out = out.softmax(dim=1)`: the statement has nothing left to do
    if type(parent) is cst.Assign and len(parent.targets) == 1 and type(inner) is cst.Name:
        target = parent.targets[0].target
        statement = parent_of(script, parent)
        if (type(target) is cst.Name and target.value == inner.value
                and type(statement) is cst.SimpleStatementLine and len(statement.body) == 1):
            return remove_statement(statement)
    top = type(parent) in (cst.Return, cst.Assign, cst.Arg, cst.AugAssign)
    return replace_node(node, in_place_of(node, inner, top))


def _function_of_call(script: Script, node: cst.Call):
    site = script.site_of(node)
    return None if site is None else site.function
