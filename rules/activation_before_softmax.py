from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.fixes.edits import in_place_of, remove_statement, replace_node, without_arg
from fitlint.findings import Severity
from fitlint.fixes.safety import model_output_uses_ok, parent_of
from fitlint.analysis.outputs import (FUNCTION_OPS, LOG, LOG_SOFTMAX, METHOD_OPS, OTHER, RELU, SIGMOID, SOFTMAX, TANH, Chain, Op,
                             is_tensor_method, class_chains, loss_feeds, module_classes, sequential_chains,
                             softmax_kind, softmax_sites)
from fitlint.rule import Fix, Invalid, Report, Rule, Valid
from fitlint.analysis.script import Script, call_arg, dotted

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

_SOFTMAXES = (SOFTMAX, LOG_SOFTMAX, LOG)
_CONSUMER_NAMES = {"cross_entropy": "CrossEntropyLoss", "nll": "NLLLoss after log_softmax"}
# the activations reported right under a softmax, and right before a classification loss
_UNDER_SOFTMAX = (RELU, SIGMOID)
_BEFORE_LOSS = (RELU, SIGMOID, TANH, OTHER)
# bounded on both sides: the loss has a floor
_SQUASHING = (SIGMOID, TANH)


class ActivationBeforeSoftmax(Rule):
    """
    ## What it does
    Flags a ReLU (ReLU6) or Sigmoid applied as the model's last layer when its output feeds a
    softmax or a classification loss that applies one (`CrossEntropyLoss`, `F.cross_entropy`,
    `NLLLoss` after `log_softmax`): a final `nn.ReLU()` in an `nn.Sequential` (also one unpacked from
    a list its function builds, `layers += [nn.Linear(d, n_classes), nn.ReLU()]` after the hidden
    blocks; a layer added under an `if` may or may not be last, and ends the reading), a `forward` that
    returns `torch.relu(self.fc(x))` / `F.relu(...)` / `self.relu(...)` (whatever `self.relu` is
    bound to), or a softmax taken right after such an activation. It reports the activation. A
    Tanh right before the classification loss is flagged too (a Tanh under a softmax elsewhere is
    often an attention score, and is left alone).

    The loss must be known: the rule follows the model's output to the loss call through local
    assignments and helpers, and a base class's `self(x)` (a `fit()` of the base class, which has no
    `forward` of its own) to the `forward` of each subclass of the file. A model ending in ReLU whose output goes to `MSELoss` (a regression
    with non-negative targets), an autoencoder ending in Sigmoid trained with `BCELoss`/`MSELoss`,
    a feature extractor whose output goes into another head, and a model whose loss the analysis
    cannot find are left alone. The other activations on the logits are flagged the same way, each
    with its own effect: GELU, SiLU, ELU, SELU, Mish and Softplus floor the negative scores where
    their gradient vanishes (as ReLU does), LeakyReLU and PReLU scale them by their slope (the
    wrong classes' scores move down a hundred times slower), Hardtanh clips them to [-1, 1].

    Severity: warning for ReLU and the other activations (the network can still learn, but slowly
    or it stalls), error for Sigmoid and Tanh (the loss has a hard floor).

    ## Why is this bad?
    CrossEntropyLoss expects logits: unbounded scores of either sign. After a ReLU every negative
    score becomes 0, so no class can be pushed below the others' floor, and a unit whose score is
    negative gets no gradient at all: for the true class it is dead for that sample, so training
    slows and can stall (the seed document's point 8, "relu before softmax"; in this project's CPU
    reference run it slowed learning without stalling it). After a Sigmoid the scores are squashed into (0, 1): softmax over them stays close
    to uniform, so the loss cannot fall below log(1 + (k-1)/e) for k classes (1.46 for 10) and
    learning is slow; after a Tanh they lie in (-1, 1) and the floor is log(1 + (k-1)/e^2) (0.80
    for 10 classes: the model can never be more than 45% sure of any class).

    ## Example
    ```python
    class Net(nn.Module):
        def forward(self, x):
            x = self.drop(self.relu(self.fc1(x)))
            return self.relu(self.fc2(x))

    loss = nn.CrossEntropyLoss()(net(x), y)
    ```

    ## Use instead
    ```python
    class Net(nn.Module):
        def forward(self, x):
            x = self.drop(self.relu(self.fc1(x)))
            return self.fc2(x)  # logits: CrossEntropyLoss applies the softmax
    ```

    ## Fix safety
    The fix drops the activation: `return F.relu(self.fc(x))` -> `return self.fc(x)`,
    `self.relu(self.fc2(x))` -> `self.fc2(x)`, a trailing `nn.ReLU()` removed from its
    `nn.Sequential` (with its line).

    Where the activation is applied at the call site, as the loss's or the softmax's own argument
    (`criterion(F.relu(out), y)`), the fix is safe: nothing else reads that value.

    Inside the model it is unsafe (`--unsafe-fixes`): the model then returns different numbers to
    every caller (negative scores where there were zeros), including code in other files and
    predictions made from checkpoints trained with the activation, which this file cannot show.
    Even so it is offered only when the activation sits right under a softmax / log_softmax in
    the same expression (the model still returns probabilities), or when every call of the model
    in this file passes its output to the classification loss, to a softmax, to `argmax` / the
    indices of `max`, or to a shape query. A model whose output is read in any other way here
    (thresholded, compared, summed, passed to a helper) gets no fix.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.nn.CrossEntropyLoss.html ("The input is
      expected to contain the unnormalized logits for each class")
    - The seed document (../shared/seed/), point 8: "relu后面是softmax".
    """

    code = "FIT301"
    name = "activation-before-softmax"
    severity = Severity.WARNING
    fixable = True

    VALID = [
        # ReLU inside the network, a final Linear: logits
        Valid(HEADER + """
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # a ReLU followed by Dropout and then the final Linear
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 10)
        self.relu = nn.ReLU()
        self.drop = nn.Dropout(0.5)
    def forward(self, x):
        x = self.drop(self.relu(self.fc1(x)))
        return self.fc2(x)
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # `return x` where x was last assigned the final layer applied to a ReLU
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 10)
        self.relu = nn.ReLU()
    def forward(self, x):
        x = self.relu(self.fc1(x))
        x = self.fc2(self.relu(x))
        return x
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # regression with non-negative targets: a ReLU output and MSELoss is correct
        Valid(HEADER + """
class Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(16, 1)
    def forward(self, x):
        return F.relu(self.fc(x))
model = Regressor()
criterion = nn.MSELoss()
""" + LOOP),
        # an autoencoder's decoder ending in Sigmoid, trained with BCELoss
        Valid(HEADER + """
model = nn.Sequential(nn.Linear(784, 32), nn.ReLU(), nn.Linear(32, 784), nn.Sigmoid())
criterion = nn.BCELoss()
""" + LOOP),
        # a feature extractor ending in ReLU whose output goes into a separate head
        Valid(HEADER + """
backbone = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 30 * 30, 128), nn.ReLU())
head = nn.Linear(128, 10)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(list(backbone.parameters()) + list(head.parameters()), lr=0.1)
for x, y in train_loader:
    optimizer.zero_grad()
    features = backbone(x)
    logits = head(features)
    loss = criterion(logits, y)
    loss.backward()
    optimizer.step()
"""),
        # the loss cannot be resolved: say nothing
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return torch.relu(self.fc(x))
model = Net()
criterion = build_criterion(config)
""" + LOOP),
        # an attribute named relu that holds Identity (an ablation without the activation): raw logits
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
        self.relu = nn.Identity()
    def forward(self, x):
        return self.relu(self.fc(x))
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # log_softmax over logits into NLLLoss, ReLU only in the hidden layer
        Valid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.fc2 = nn.Linear(128, 10)
    def forward(self, x):
        x = F.relu(self.fc1(x))
        return F.log_softmax(self.fc2(x), dim=1)
model = Net()
criterion = nn.NLLLoss()
""" + LOOP),
        # multi-label: sigmoid probabilities into BCELoss
        Valid(HEADER + """
class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 20)
    def forward(self, x):
        return torch.sigmoid(self.fc(x))
model = Tagger()
criterion = nn.BCELoss()
""" + LOOP),
        # a Tanh under a softmax inside the model is an attention score, not the output layer
        Valid(HEADER + """
class AttentionClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.GRU(100, 64, batch_first=True)
        self.score = nn.Linear(64, 1)
        self.out = nn.Linear(64, 5)
    def forward(self, x):
        h, _ = self.encoder(x)
        weights = F.softmax(torch.tanh(self.score(h)), dim=1)
        return self.out((weights * h).sum(dim=1))
model = AttentionClassifier()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # a GAN generator ends in Tanh: its output is an image, not logits
        Valid(HEADER + """
generator = nn.Sequential(nn.Linear(100, 256), nn.ReLU(), nn.Linear(256, 784), nn.Tanh())
discriminator = nn.Sequential(nn.Linear(784, 256), nn.LeakyReLU(0.2), nn.Linear(256, 1))
criterion = nn.BCEWithLogitsLoss()
opt_g = optim.Adam(generator.parameters(), lr=2e-4)
for z, real in train_loader:
    opt_g.zero_grad()
    fake = generator(z)
    loss = criterion(discriminator(fake), torch.ones(len(z), 1))
    loss.backward()
    opt_g.step()
"""),
    ]

    INVALID = [
        # the seed's model: a final ReLU bound to self.relu, CrossEntropyLoss
        # Tanh as the output layer before CrossEntropyLoss (error: the loss has a floor)
        # an attribute named relu that holds LeakyReLU: the wrong classes' scores move down slowly
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
        self.relu = nn.LeakyReLU(0.1)
    def forward(self, x):
        return self.relu(self.fc(x))  # FIT301
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        Invalid(HEADER + """
model = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 10), nn.Tanh())  # FIT301
criterion = nn.CrossEntropyLoss()
""" + LOOP, fixed=HEADER + """
model = nn.Sequential(nn.Linear(64, 128), nn.Tanh(), nn.Linear(128, 10))  # FIT301
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 256)
        self.fc2 = nn.Linear(256, 2)
        self.relu = nn.ReLU()
    def forward(self, x):
        x = self.relu(self.fc1(x))
        return self.relu(self.fc2(x))  # FIT301
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP, fixed=HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 256)
        self.fc2 = nn.Linear(256, 2)
        self.relu = nn.ReLU()
    def forward(self, x):
        x = self.relu(self.fc1(x))
        return self.fc2(x)  # FIT301
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # a Sequential ending in ReLU
        Invalid(HEADER + """
model = nn.Sequential(
    nn.Linear(64, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
    nn.ReLU(),  # FIT301
)
criterion = nn.CrossEntropyLoss()
""" + LOOP, fixed=HEADER + """
model = nn.Sequential(
    nn.Linear(64, 128),
    nn.ReLU(),
    nn.Linear(128, 10),
)
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # functional forms, through the last assignment, with F.cross_entropy
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.out = nn.Linear(64, 10)
    def forward(self, x):
        x = F.relu(self.out(x))  # FIT301
        return x
model = Net()
optimizer = optim.Adam(model.parameters())
for x, y in train_loader:
    optimizer.zero_grad()
    loss = F.cross_entropy(model(x), y)
    loss.backward()
    optimizer.step()
"""),
        # the last Sequential in self.classifier ends in ReLU; the loss in a Trainer
        Invalid(HEADER + """
class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.Flatten())
        self.classifier = nn.Sequential(nn.Linear(32 * 30 * 30, 10), nn.ReLU())  # FIT301
    def forward(self, x):
        return self.classifier(self.features(x))
class Trainer:
    def __init__(self):
        self.model = CNN()
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = optim.SGD(self.model.parameters(), lr=0.01)
    def step(self, x, y):
        self.optimizer.zero_grad()
        loss = self.criterion(self.model(x), y)
        loss.backward()
        self.optimizer.step()
"""),
        # Sigmoid before CrossEntropyLoss (error: the loss has a floor)
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return torch.sigmoid(self.fc(x))  # FIT301
model = Net()
criterion = nn.CrossEntropyLoss()
""" + LOOP),
        # ReLU then softmax inside the model
        Invalid(HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return F.softmax(F.relu(self.fc(x)), dim=1)  # FIT301
""", fixed=HEADER + """
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(64, 10)
    def forward(self, x):
        return F.softmax(self.fc(x), dim=1)  # FIT301
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        seen: set[int] = set()
        for op, consumer in self._findings(script):
            if id(op.node) in seen:
                continue
            seen.add(id(op.node))
            yield Report(op.at or op.node, self._message(script, op, consumer),
                         severity=Severity.ERROR if op.kind in _SQUASHING else None,
                         fix=_fix(script, op) if op.at is None else None)

    def _findings(self, script: Script) -> Iterator[tuple[Op, str]]:
        for feed in loss_feeds(script):
            if feed.kind not in _CONSUMER_NAMES:
                continue
            for chain in feed.chains:
                op = _activation_under_softmax(chain, require_log=feed.kind == "nll", kinds=_BEFORE_LOSS)
                if op is not None:
                    yield op, _CONSUMER_NAMES[feed.kind]
        for site in softmax_sites(script):
            for chain in site.chains:
                if chain.ops and chain.ops[0].kind in _UNDER_SOFTMAX:
                    yield chain.ops[0], site.kind
        chains: list[Chain] = []
        for cls in module_classes(script):
            chains += class_chains(script, cls)
        for site in script.calls:
            if script.qualname(site.node.func) == "torch.nn.Sequential" and script.is_imported(site.node.func):
                chains += sequential_chains(script, site.node, site.function)
        for chain in chains:
            for outer, inner in zip(chain.ops, chain.ops[1:]):
                if outer.kind in (SOFTMAX, LOG_SOFTMAX) and inner.kind in _UNDER_SOFTMAX:
                    yield inner, outer.kind

    @staticmethod
    def _message(script: Script, op: Op, consumer: str) -> str:
        if op.kind == SIGMOID:
            return (
                f"a Sigmoid squashes the logits into (0, 1) before {consumer}: softmax over them stays "
                "near uniform, so the loss cannot fall below log(1 + (k-1)/e) for k classes (1.46 for "
                "10) and learning is slow; return the raw logits (drop the sigmoid; for multi-label "
                "targets use BCEWithLogitsLoss instead)"
            )
        if op.kind == TANH:
            return (
                f"a Tanh squashes the logits into (-1, 1) before {consumer}: the loss cannot fall below "
                "log(1 + (k-1)/e^2) for k classes (0.80 for 10: no class ever gets more than 45% "
                "probability), so training plateaus early; return the raw logits (drop the tanh)"
            )
        if op.kind == OTHER:
            name = _activation_name(script, op)
            if name.lower() in ("leakyrelu", "leaky_relu", "prelu"):
                effect = ("scales every negative logit by its slope (0.01 by default), so the wrong classes' "
                          "scores are pushed down a hundred times slower than they are pushed up")
            elif name.lower() == "hardtanh":
                effect = "clips the logits to [-1, 1], so the loss has a floor and training plateaus early"
            else:
                effect = ("floors the negative logits (near 0 or -1) where its gradient vanishes, as a ReLU "
                          "does, so class scores cannot spread below it and units stuck there stop learning")
            return (f"a {name} on the model's output before {consumer} {effect}; return the last layer's raw "
                    "output (the logits) instead")
        return (
            f"a ReLU on the model's output before {consumer}: every negative logit becomes 0, so no "
            "class score can go below the others' floor and units stuck below zero get no gradient, "
            "which slows training and can stall it; return the last layer's raw output (the logits) "
            "instead"
        )


def _activation_name(script: Script, op: Op) -> str:
    """``LeakyReLU`` for ``nn.LeakyReLU(inplace=True)``, ``gelu`` for ``F.gelu(x)``, and the module
    an attribute holds for ``self.relu(x)`` with ``self.relu = nn.LeakyReLU(0.1)``."""
    node = op.node
    func = node.func if type(node) is cst.Call else node
    site = script.site_of(node) if type(node) is cst.Call else None
    if site is not None and not script.is_imported(func):
        built = [bound.expr for bound in script.values(func, site.function) if type(bound.expr) is cst.Call]
        if built:
            func = built[0].func
    return (dotted(func) or "activation").rsplit(".", 1)[-1]


def _activation_under_softmax(chain: Chain, require_log: bool, kinds: tuple[str, ...] = _UNDER_SOFTMAX) -> Op | None:
    """The activation of one of these kinds right under any softmax-like ops at the top of the chain."""
    saw_log = False
    for op in chain.ops:
        if op.kind in _SOFTMAXES:
            saw_log |= op.kind in (LOG_SOFTMAX, LOG)
            continue
        if op.kind in kinds and (saw_log or not require_log):
            return op
        return None
    return None



_LOSS_KINDS = frozenset({"cross_entropy", "nll"})


def _fix(script: Script, op: Op) -> Fix | None:
    node = op.node
    if type(node) is not cst.Call:
        return None
    edit = _edit(script, node)
    if edit is None:
        return None
    name = {SIGMOID: "sigmoid", TANH: "tanh", OTHER: _activation_name(script, op)}.get(op.kind, "ReLU")
    parent = parent_of(script, node)
    argument_of = parent_of(script, parent) if type(parent) is cst.Arg else None
    if not op.in_model:
        # the argument of the loss or of the softmax itself: nothing else reads it
        if type(argument_of) is cst.Call and argument_of.args and argument_of.args[0] is parent and (
            _is_softmax(script, argument_of) or _is_loss_call(script, argument_of)
        ):
            return Fix(f"drop the {name}: pass the logits", (edit,))
        return None
    if type(argument_of) is cst.Call and argument_of.args and argument_of.args[0] is parent and _is_softmax(script, argument_of):
        return Fix(f"drop the {name} under the model's softmax", (edit,), safe=False)
    if model_output_uses_ok(script, node, _LOSS_KINDS, softmax_ok=True):
        return Fix(f"drop the {name}: return the logits", (edit,), safe=False)
    return None


def _is_softmax(script: Script, call: cst.Call) -> bool:
    site = script.site_of(call)
    return site is not None and softmax_kind(script, site) is not None


def _is_loss_call(script: Script, call: cst.Call) -> bool:
    return any(feed.site.node is call and feed.kind in _LOSS_KINDS for feed in loss_feeds(script))


def _edit(script: Script, node: cst.Call):
    parent = parent_of(script, node)
    if type(parent) is cst.Arg and parent.value is node:
        sequential = parent_of(script, parent)
        if type(sequential) is cst.Call and script.qualname(sequential.func) == "torch.nn.Sequential":
            if parent.keyword is not None or parent.star or sum(1 for arg in sequential.args if arg.keyword is None) < 2:
                return None
            return replace_node(sequential, without_arg(sequential, parent))
    site = script.site_of(node)
    if site is None:
        return None
    func = node.func
    if script.is_imported(func) and (script.qualname(func) or "") in FUNCTION_OPS:
        inner = call_arg(node, 0, "input")
    elif is_tensor_method(script, func, site.function) and func.attr.value in METHOD_OPS:
        inner = func.value
    elif len(node.args) == 1 and node.args[0].keyword is None and not node.args[0].star:
        inner = node.args[0].value  # a module: self.relu(x), nn.ReLU()(x)
    else:
        return None
    if inner is None:
        return None
    if type(parent) is cst.Assign and len(parent.targets) == 1 and type(inner) is cst.Name:
        target = parent.targets[0].target
        statement = parent_of(script, parent)
        if (type(target) is cst.Name and target.value == inner.value
                and type(statement) is cst.SimpleStatementLine and len(statement.body) == 1):
            return remove_statement(statement)  # `x = F.relu(x)` has nothing left to do
    top = type(parent) in (cst.Return, cst.Assign, cst.Arg, cst.AugAssign)
    return replace_node(node, in_place_of(node, inner, top))
