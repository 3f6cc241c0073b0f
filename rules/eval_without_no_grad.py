from __future__ import annotations

from typing import Iterator

import libcst as cst

from fitlint.findings import Severity, Split
from fitlint.fixes.safety import parent_of, result_reaches_backward
from fitlint.analysis.regions import NO_GRAD, EvalRegion, FlagEvaluation, Forward, Regions, phase_loop, regions
from fitlint.analysis.passes import TEST_WORDS, single_pass
from fitlint.rule import Fix, Invalid, Report, Rule, Valid, Edit
from fitlint.analysis.data import split_from_name
from fitlint.analysis.script import CallSite, FunctionInfo, Script, call_arg, code_of, contains, literal, walk
from fitlint.words import words as split_words

HEADER = """\
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

def train_one_epoch():
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
"""

class EvalWithoutNoGrad(Rule):
    """
    ## What it does
    Flags an evaluation pass (a loop over validation or test data, a function whose job is
    evaluating by its name or because it switches the model to evaluation mode itself before
    running it in a loop, such as `make_submission(model, loader)`, or a loop over the training
    data that trains nothing, such as a training-accuracy pass after training, whose outputs no
    backward pass reads, or a loop over batches of no known split that runs a model whose last
    mode switch before it put it in evaluation mode: `rc.eval()`, then `for x, y in
    load_verificare:` collecting predictions; a loop that hands its loss and optimizer to a call
    named for stepping, timm's `loss_scaler(loss, optimizer, ...)` of the DeiT/MAE/Swin engines,
    trains) whose forward passes run with
    autograd on: outside `torch.no_grad()`,
    `torch.inference_mode()`, `@torch.no_grad()` / `@torch.inference_mode()` on the function (or
    a project's decorator named for them, YOLOv5's `@smart_inference_mode()`; or
    a caller's `with torch.no_grad():` around the call), and `torch.set_grad_enabled(False)` (an
    expression such as `set_grad_enabled(phase == "train")` counts as handled). The forward pass
    may run in a helper of the file that the evaluation hands the model (`loss, acc =
    run_batch(model, batch)`, the step the training loop shares), unless the helper switches
    gradients itself.

    A phase loop (`for phase in ["train", "val"]:`, or `["train", "val", "test"]`) whose batch loop
    runs the model in every phase while `backward()` and `step()` run only under `if phase ==
    "train":` evaluates in its held-out phases: with no gradient switch anywhere in the loop, that
    forward pass is flagged (the old transfer-learning tutorial), with no automatic fix, since the
    same lines also train.

    A function that trains or evaluates by a flag (`def run_epoch(loader, train=True)` whose
    `backward()` and `step()` run only under `if train:`, or `def epoch(loader, model, opt=None)`
    under `if opt:`), with no gradient switch of its own, evaluates when it is called with the flag
    off on validation or test data: that call is flagged unless it runs under `no_grad` (no
    automatic fix: either the call is wrapped or the function switches gradients by its flag).

    A helper module's evaluation function that no code of the file calls (`def evaluate(model,
    loader)` looping over its data, or a graph's `def test(model, data)` that switches the model to
    evaluation mode and runs it once over the fields of the whole data object, `model(data.x,
    data.edge_index)`) is flagged as info, the message saying it holds unless every
    caller elsewhere runs it under `no_grad` (measured on this project's real-code corpora: of 38
    such functions whose callers are in their own file, the callers all wrap them in 2). So is an
    evaluation whose only callers are such uncalled functions that switch no gradients around the
    call (a wrapper class's public `test_model()` handing each checkpoint to its private
    `_test_model()`): it is entered with whatever the wrapper's callers elsewhere set. A training
    helper that also evaluates is flagged the same way; no
    caller can have turned gradients off around it, since its own `backward()` needs them.

    A forward pass is `model(x)`, `model.forward(x)` (also of each model of a list built in view,
    `for m in members: m(x)` in an ensemble), or a model method that runs the network: one
    of the model's class in the file that switches no gradients itself (`model.inference(src)`),
    or `encode` / `decode` / `inference` / `forward_features` / `extract_features` (any
    `forward_*`: `forward_all`, a siamese `forward_once`) of a class
    from elsewhere (PyG's `GAE.encode`, timm's backbones).

    `Variable(x, volatile=True)` does not count: it has been a no-op since PyTorch 0.4, and the
    message says so. Detaching the outputs (`model(x).detach()`) does not count either: the graph is
    built during the forward pass and only dropped afterwards.

    ## Why is this bad?
    It does not change the accuracy: it builds the autograd graph for every validation batch, so
    evaluation takes more memory and time than it needs (activations are kept for a backward pass
    that never comes; large validation batches can run out of GPU memory, and metrics accumulated
    as tensors keep whole graphs alive). The severity is a warning for that reason, info when the
    model's binding is unknown.

    Not flagged: forward passes in the training loop, Lightning's `validation_step` / `test_step`
    (Lightning disables gradients itself), evaluation that asks for gradients on purpose
    (`torch.enable_grad()`, saliency maps or adversarial examples that call `backward()` /
    `torch.autograd.grad`, themselves or in a helper the evaluation calls per batch, or that make
    its inputs require gradients, `img.requires_grad = True`, for a loss that differentiates with
    respect to them), a custom context manager that receives the model (`with
    evaluating(model):`), a one-pass helper no code of the file calls (`predict(model, x)`: its
    caller may want the graph), and a glimpse: one batch drawn with `next(iter(loader))` (or a
    loop that ends its first pass with `break`, or breaks once a counter reaches 1, 2 or 3) to
    picture predictions, or one item made a batch of one (also when moved or cast afterwards)
    (`model(test_images[i].unsqueeze(0))` in a `make_predictions(i)` helper).

    A single pass over a whole split that costs no more than a training step (one prediction at
    the top level of the script after full-batch training, or a loop-free evaluation function
    called once, outside any loop, after training: pygcn's `test()` running the model once over
    the whole graph) is reported at info severity: its graph is built once and dropped. The test
    split of such a pass is also read off the predictions made of its output (`_, pred =
    out.max(dim=1)` then `pred[data.test_mask]`) and off the output indexed where it is made
    (`model(g, features)[test_mask]`). When training walks batches and the pass takes a whole
    tensor of the file's data (`probs = model(X_test)` after mini-batch training), it is a
    warning: its graph holds every activation of the split at once, more than any training step.

    ## Example
    ```python
    def validate(model, loader):
        model.eval()
        for x, y in loader:
            loss = criterion(model(x), y)  # records a graph per batch
    ```

    ## Use instead
    ```python
    @torch.no_grad()
    def validate(model, loader):
        model.eval()
        for x, y in loader:
            loss = criterion(model(x), y)
    ```

    ## Fix safety
    The fix wraps the evaluation loop (the reported `for`) in `with torch.no_grad():`, the loop
    re-indented one level inside it; when the pass is a single statement without a loop (`return
    [model(x) for x in loader]`), that statement is wrapped. In a generator function it adds
    `@torch.no_grad()` to the function instead: a `with` around a `yield` would keep gradients off
    in the caller's code (its training loop) while the generator waits. So it does for an evaluation
    function with passes outside the flagged loop (`test(name=None)` predicting one name in a branch
    before its loop), where one `with` would leave the other passes on. `torch` is spelled as the
    file imports it (`import torch as T` gives `T.no_grad()`); without a module import of torch
    there is no fix (adding an import is left to the user), nor when the forward pass sits inside a
    larger statement (an `if` test, a loop header).

    It is safe when the outputs of the pass are only measured: the rule already stays silent when
    the pass itself calls `backward()` / `torch.autograd.grad` or enables gradients. What no_grad
    can break is a later backward pass through tensors the loop produced (outputs collected and
    then used as a loss), so the fix is unsafe (`--unsafe-fixes`) when the function holding the
    loop calls `backward()`, `torch.autograd.grad` or `torch.enable_grad` outside it, when a
    caller in the file backpropagates what the function returns (`val = validate();
    val.backward()`), or when the loop stores values on an object (`self.outputs = ...`), where a
    training step could read them later.

    ## References
    - https://pytorch.org/docs/stable/generated/torch.no_grad.html
    - https://pytorch.org/docs/stable/generated/torch.inference_mode.html
    - https://pytorch.org/docs/stable/notes/autograd.html#locally-disabling-gradient-computation
    - PyTorch 0.4 migration guide: "the volatile flag is now deprecated and has no effect".
    """

    code = "FIT202"
    name = "eval-without-no-grad"
    severity = Severity.WARNING
    fixable = True

    VALID = [
        # one sample a caller hands a prediction helper after training: one small graph, once
        Valid(HEADER + """
def predict(net, image):
    net.eval()
    return net(image.unsqueeze(0)).argmax(1)

for epoch in range(10):
    train_one_epoch()
print(predict(model, torch.load("sample.pt")))
"""),
        # the test tensor fed to the model inside the training step, and trained on (semi-supervised)
        Valid(HEADER + """
X_test = torch.load("X_test.pt")
for x, y in train_loader:
    optimizer.zero_grad()
    test_out = model(X_test)
    loss = criterion(model(x), y) + 0.1 * test_out.softmax(1).var()
    loss.backward()
    optimizer.step()
"""),
        # no_grad around the evaluation loop
        Valid(HEADER + """
def evaluate():
    model.eval()
    with torch.no_grad():
        return [model(x) for x, _ in val_loader]

for epoch in range(10):
    train_one_epoch()
    evaluate()
"""),
        # decorators at the function and at the method; inference_mode
        Valid(HEADER + """
@torch.no_grad()
def evaluate():
    model.eval()
    return [model(x) for x, _ in val_loader]

class Evaluator:
    def __init__(self, net):
        self.net = net
    @torch.inference_mode()
    def run(self):
        self.net.eval()
        return [self.net(x) for x, _ in val_loader]

for epoch in range(10):
    train_one_epoch()
    evaluate()
    Evaluator(model).run()
"""),
        # no_grad in the caller that wraps the call of the helper
        Valid(HEADER + """
def evaluate(net, loader):
    net.eval()
    return sum(criterion(net(x), y).item() for x, y in loader)

for epoch in range(10):
    train_one_epoch()
    with torch.no_grad():
        val_loss = evaluate(model, val_loader)
"""),
        # set_grad_enabled(phase == "train"): the transfer-learning tutorial's phase loop
        Valid(HEADER + """
loaders = {"train": train_loader, "val": val_loader}
for epoch in range(10):
    for phase in ["train", "val"]:
        model.train() if phase == "train" else model.eval()
        for x, y in loaders[phase]:
            optimizer.zero_grad()
            with torch.set_grad_enabled(phase == "train"):
                loss = criterion(model(x), y)
                if phase == "train":
                    loss.backward()
                    optimizer.step()
"""),
        # torch.set_grad_enabled(False) once, in an inference script
        Valid(HEADER + """
torch.set_grad_enabled(False)
model.eval()
for x, y in val_loader:
    print(model(x).argmax(1))
"""),
        # Lightning disables gradients around validation_step / test_step
        Valid("""
import torch
import lightning as L
from torch import nn

class LitNet(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(784, 10), nn.Dropout(0.2))
    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", nn.functional.cross_entropy(self.net(x), y))
"""),
        # one batch drawn with next() to picture predictions every epoch: one batch's graph per
        # call, no more than a training step holds (VAE and GAN scripts' reconstruction grids)
        Valid(HEADER + """
def sample_predictions(epoch):
    examples = enumerate(val_loader)
    _, (images, labels) = next(examples)
    predictions = model.forward(images[:8].to("cpu")).detach().argmax(1)
    print(epoch, predictions.tolist(), labels[:8].tolist())

for epoch in range(10):
    train_one_epoch()
    sample_predictions(epoch)
"""),
        # gradients wanted on purpose: saliency maps on the test data
        Valid(HEADER + """
def saliency_test():
    model.eval()
    maps = []
    for x, y in val_loader:
        x.requires_grad_(True)
        with torch.enable_grad():
            score = model(x).gather(1, y[:, None]).sum()
        maps.append(torch.autograd.grad(score, x)[0])
    return maps

train_one_epoch()
saliency_test()
"""),
        # forward passes in the training loop are never evaluation
        Valid(HEADER + """
for epoch in range(10):
    train_one_epoch()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
"""),
        # a nested helper called under no_grad
        Valid(HEADER + """
def main():
    def test():
        model.eval()
        return [model(x).argmax(1) for x, _ in val_loader]
    for epoch in range(3):
        train_one_epoch()
        with torch.no_grad():
            test()
main()
"""),
        # a model file's smoke test: a shape check on a model built right there, not an evaluation
        Valid("""
import torch
import torch.nn as nn


class TextClassifier(nn.Module):
    def __init__(self, vocab_size, num_classes):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, 64)
        self.rnn = nn.LSTM(64, 128, batch_first=True, dropout=0.2, num_layers=2)
        self.head = nn.Linear(128, num_classes)

    def forward(self, tokens):
        out, _ = self.rnn(self.embed(tokens))
        return self.head(out[:, -1])


def test_shapes():
    model = TextClassifier(1000, 4)
    tokens = torch.randint(0, 1000, (8, 20))
    logits = model(tokens)
    assert logits.shape == (8, 4)


test_shapes()
"""),
        # a made-up input (random numbers) checks shapes whatever the model
        Valid("""
import torch
from torch.autograd import Variable
from models import ResNet18


def test():
    net = ResNet18()
    x = Variable(torch.randn(1, 3, 32, 32))
    y = net(x)
    print(y.shape)


test()
"""),
        # a preprocessing transform called like a model (`effnetb2_transforms(img)`) is no forward pass
        Valid("""
import torch
from model import create_effnetb2_model

effnetb2, effnetb2_transforms = create_effnetb2_model(num_classes=3)
effnetb2.load_state_dict(torch.load("effnetb2.pth"))


def predict(img):
    img = effnetb2_transforms(img).unsqueeze(0)
    effnetb2.eval()
    with torch.inference_mode():
        return torch.softmax(effnetb2(img), dim=1)


for path in test_paths:
    print(predict(load_image(path)))
"""),
        # an `init_rnn_state(...)`-style helper passed in is no forward pass; the model runs under no_grad
        Valid("""
import torch
import torch.nn as nn

import rnn_utils


class CharRNN(nn.Module):
    def __init__(self, vocab_size, hidden):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, hidden)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)
        self.out = nn.Linear(hidden, vocab_size)

    def forward(self, x, state):
        y, state = self.gru(self.embed(x), state)
        return self.out(y), state


def predict(prefix, num_chars, net, init_rnn_state, hidden, device, vocab):
    state = init_rnn_state(1, hidden, device)
    outputs = [vocab[prefix[0]]]
    with torch.no_grad():
        for t in range(num_chars):
            y, state = net(torch.tensor([[outputs[-1]]], device=device), state)
            outputs.append(int(y.argmax(dim=-1)))
    return outputs


net = CharRNN(len(vocab), 256)
print(predict("the", 50, net, rnn_utils.init_rnn_state, 256, "cpu", vocab))
"""),
    ]

    INVALID = [
        # the whole test tensor in one pass after mini-batch training: every activation held at once
        Invalid(HEADER + """
X_test = torch.load("X_test.pt")
for epoch in range(10):
    train_one_epoch()
model.eval()
predictions = model(X_test).argmax(1)  # FIT202
""", fixed=HEADER + """
X_test = torch.load("X_test.pt")
for epoch in range(10):
    train_one_epoch()
model.eval()
with torch.no_grad():
    predictions = model(X_test).argmax(1)  # FIT202
"""),
        # the whole test tensor through the model every 100 steps, inside the training loop
        Invalid(HEADER + """
test_x, test_y = torch.load("test.pt")
for step, (x, y) in enumerate(train_loader):
    optimizer.zero_grad()
    criterion(model(x), y).backward()
    optimizer.step()
    if step % 100 == 0:
        test_output = model(test_x)  # FIT202
        print((test_output.argmax(1) == test_y).float().mean())
"""),
        # the classic test(epoch) without no_grad
        Invalid(HEADER + """
def test(epoch):
    model.eval()
    correct = 0
    for x, y in val_loader:  # FIT202
        correct += (model(x).argmax(1) == y).sum().item()
    return correct

for epoch in range(10):
    train_one_epoch()
    test(epoch)
""", fixed=HEADER + """
def test(epoch):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:  # FIT202
            correct += (model(x).argmax(1) == y).sum().item()
    return correct

for epoch in range(10):
    train_one_epoch()
    test(epoch)
"""),
        # volatile=True has been a no-op since 0.4
        Invalid(HEADER + """
from torch.autograd import Variable

def validate():
    model.eval()
    losses = []
    for x, y in val_loader:  # FIT202
        x = Variable(x, volatile=True)
        losses.append(criterion(model(x), y).item())
    return losses

for epoch in range(10):
    train_one_epoch()
    validate()
"""),
        # detaching the outputs afterwards does not stop the graph from being built
        Invalid(HEADER + """
class Trainer:
    def __init__(self, model):
        self.model = model
    def evaluate(self):
        self.model.eval()
        return [self.model(x).detach() for x, _ in val_loader]  # FIT202
    def fit(self):
        for epoch in range(10):
            train_one_epoch()
            self.evaluate()

trainer = Trainer(model)
trainer.fit()
"""),
        # a generator: `@torch.no_grad()` on the function, never a `with` around its `yield`
        Invalid(HEADER + """
def predict(loader):
    model.eval()
    for x, _ in loader:  # FIT202
        yield model(x).argmax(1)

for epoch in range(10):
    train_one_epoch()
    predictions = list(predict(val_loader))
""", fixed=HEADER + """
@torch.no_grad()
def predict(loader):
    model.eval()
    for x, _ in loader:  # FIT202
        yield model(x).argmax(1)

for epoch in range(10):
    train_one_epoch()
    predictions = list(predict(val_loader))
"""),
        # the caller backpropagates the validation loss: the wrap is only an unsafe fix
        Invalid(HEADER + """
def validate():
    model.eval()
    total = 0
    for x, y in val_loader:  # FIT202
        total = total + criterion(model(x), y)
    return total / len(val_loader)

for epoch in range(10):
    train_one_epoch()
    val = validate()
    val.backward()
""", fixed=HEADER + """
def validate():
    model.eval()
    total = 0
    with torch.no_grad():
        for x, y in val_loader:  # FIT202
            total = total + criterion(model(x), y)
    return total / len(val_loader)

for epoch in range(10):
    train_one_epoch()
    val = validate()
    val.backward()
"""),
        # batches drawn with next() in a loop are a whole evaluation pass, one graph per batch
        Invalid(HEADER + """
def validate(steps=50):
    model.eval()
    batches = iter(val_loader)
    correct = 0
    for _ in range(steps):  # FIT202
        x, y = next(batches)
        correct += (model(x).argmax(1) == y).sum().item()
    return correct

for epoch in range(10):
    train_one_epoch()
    validate()
"""),
        # called both under no_grad and without it
        Invalid(HEADER + """
def evaluate(net, loader):
    net.eval()
    return sum(criterion(net(x), y).item() for x, y in loader)  # FIT202

for epoch in range(10):
    train_one_epoch()
    with torch.no_grad():
        evaluate(model, val_loader)
final = evaluate(model, val_loader)
"""),
    ]

    def check(self, script: Script) -> Iterator[Report]:
        analysis = regions(script)
        for region in analysis.eval_regions + analysis.train_data_evaluations:
            once = single_pass(script, region)
            if once == "glimpse" or _wants_gradients(script, region):
                continue
            # a batch loop's pass first: it is the costly one (`test(name=None)` predicting one
            # name in a branch before its loop over the test loader); each further loop of its own
            # (`if aug == "window": for ... else: for ...`) is reported too, with its own fix
            # the model's pass before a lone layer's run ahead of it (`embeds(x)` then `model(x)`)
            reported: list[cst.CSTNode] = []
            for forward in sorted(region.forwards, key=lambda forward: (forward.site.loop is None, forward.model.one_layer)):
                if reported and forward.site.loop is None:
                    break
                if analysis.under_model_context(forward.site, forward.model):
                    continue
                grad = analysis.grad_at(forward.site)
                # a helper no code of this file calls, looping over its data: on, unless its callers
                # elsewhere switch it off (a one-pass `predict(x)` returns what a caller may train on)
                entry = analysis.outside_entry(forward.site.function) if grad == "unknown" else None
                unseen = entry is not None and (forward.site.loop is not None or _whole_split_test(analysis, forward))
                if grad != "on" and not unseen:
                    continue
                node, statement = analysis.anchor(region, forward)
                if any(contains(done, node) or contains(node, done) for done in reported):
                    continue
                reported.append(node)
                # a known layer run in the same loop (`embeds(x)` before an imported `model`) builds a graph too
                known = any(other.model.known for other in region.forwards if other.site.loop is forward.site.loop)
                severity = Severity.WARNING if known and not unseen and not once else Severity.INFO
                advice = _unseen_advice(entry, forward.site.function) if unseen else _WRAP_ADVICE
                yield Report(node, _message(analysis, region, forward, advice, once is not None), severity=severity,
                             statement=statement, fix=_fix(analysis, region, node, statement, forward),
                             end=analysis.anchor_end(forward, node))
        for flagged in analysis.flag_evaluations:
            # `run_epoch(val_loader, train=False)`: the call is what turns evaluation on
            forward = flagged.forward
            severity = Severity.WARNING if forward.model.known else Severity.INFO
            yield Report(flagged.call.node, (
                f"`{flagged.call.name}(...)` runs `{flagged.function.name}()` with {_flag_off_text(flagged)}, on the "
                f"{flagged.split} data, with gradients enabled: `{forward.site.name}(...)` in it records the graph "
                "for every evaluation batch, so evaluation takes more memory and time (same accuracy); call it "
                f"under `with torch.no_grad():` (or switch gradients by the flag inside: "
                f"`with torch.set_grad_enabled({_flag_on(flagged)}):`)"), severity=severity, statement=flagged.call.statement)
        for region in analysis.phase_evaluations:
            # the held-out phase of `for phase in ['train', 'val']`: no fix, the same lines train
            forward = next((f for f in region.forwards if analysis.grad_at(f.site) == "on"), None)
            if forward is not None and not analysis.under_model_context(forward.site, forward.model):
                severity = Severity.WARNING if forward.model.known else Severity.INFO
                yield Report(forward.site.node, _message(analysis, region, forward, _phase_advice(region)),
                             severity=severity, statement=forward.site.statement)


def _flag_off_text(flagged: FlagEvaluation) -> str:
    return f"`{code_of(flagged.test)}` false" if type(flagged.test) is cst.Comparison and type(
        flagged.test.comparisons[0].operator) is cst.Equal else f"`{flagged.flag}` off"


def _flag_on(flagged: FlagEvaluation) -> str:
    """The flag as a bool: ``train``, ``phase == "train"``, or ``opt is not None`` for an optimizer
    passed only to train."""
    if type(flagged.test) is cst.Comparison and type(flagged.test.comparisons[0].operator) is cst.Equal:
        return code_of(flagged.test)
    default = flagged.function.param_default(flagged.flag)
    named = type(flagged.test) is cst.Name and not (type(default) is cst.Name and default.value == "None")
    return flagged.flag if named else f"{flagged.flag} is not None"




def _whole_split_test(analysis: Regions, forward: Forward) -> bool:
    """A helper named for testing that switches the model to evaluation mode and runs it once over
    the fields of a whole data object (a graph's ``def test(model, data): model.eval(); out =
    model(data.x, data.edge_index)``): an evaluation of a split, no prediction a caller could train
    on. One item picked to picture (``model(img.unsqueeze(0))``) is not."""
    function = forward.site.function
    first = call_arg(forward.site.node, 0, None)
    if type(first) is cst.Subscript:
        first = first.value
    return (type(first) is cst.Attribute and bool(set(split_words(function.name)) & TEST_WORDS)
            and analysis.switches_to_eval(function))


def _wants_gradients(script: Script, region: EvalRegion) -> bool:
    """Saliency maps, adversarial examples, test-time adaptation: the pass needs the graph, in the
    evaluation itself or in a helper it calls (``pgd_attack(model, x, y)`` per test batch), or its
    inputs are made to require gradients (``img.requires_grad = True``: a loss that differentiates
    with respect to them, such as Sobolev distillation; not the tutorials' cargo-cult
    ``images.requires_grad_()``, which asks for nothing)."""
    if any(site.method in ("backward", "grad") for site in script.calls_reached(region.calls(), depth=2, live=True)):
        return True
    return any(assignment.target.endswith(".requires_grad") and literal(assignment.value) is True
               and assignment.function.within(region.function)
               and (region.loop is None or region.loop.contains(assignment.loop)) for assignment in script.assigns)


_WRAP_ADVICE = ("wrap the evaluation in `with torch.no_grad():` (or `torch.inference_mode()`, or decorate the "
                "function with `@torch.no_grad()`)")


_UNSEEN_ADVICE = ("no code of this file calls `{name}()`{through}, so this holds unless every caller elsewhere runs "
                  "it under `torch.no_grad()`; " + _WRAP_ADVICE)


def _unseen_advice(entry: FunctionInfo, function: FunctionInfo) -> str:
    """The advice for an evaluation entered from outside the file, through ``entry``."""
    through = "" if entry is function else f" (which runs `{_spelled(function)}()`)"
    return _UNSEEN_ADVICE.format(name=_spelled(entry), through=through)


def _spelled(function: FunctionInfo) -> str:
    """A method with its class (`Evaluator.eval`: a bare `eval()` reads as the model's switch)."""
    return f"{function.cls.name}.{function.name}" if function.cls is not None else function.name


def _message(analysis: Regions, region: EvalRegion, forward: Forward, advice: str = _WRAP_ADVICE,
             once: bool = False) -> str:
    volatile = _volatile_site(analysis, region)
    note = (
        " (`Variable(..., volatile=True)` disables nothing: it has been a no-op since PyTorch 0.4)"
        if volatile is not None else ""
    )
    cost = ("autograd builds the graph of this pass over the whole split (once: as much memory as a "
            "training step, held until its output is dropped)" if once else
            "autograd builds the graph for every evaluation batch, so evaluation takes more memory and time")
    return f"{forward.describe()} evaluates {region.describe()} with gradients enabled{note}: {cost} (same accuracy); {advice}"


def _phase_advice(region: EvalRegion) -> str:
    phase, names = phase_loop(region.loop)
    train = next(name for name in names if split_from_name(name) is Split.TRAIN)
    return f"run the forward pass under `with torch.set_grad_enabled({phase} == {train!r}):`"


def _volatile_site(analysis: Regions, region: EvalRegion) -> CallSite | None:
    """The ``Variable(x, volatile=True)`` the evaluation relies on: in the region itself, or in a
    function of the file it calls with the flag (``get_batch(source, i, evaluation=True)`` whose
    ``Variable(..., volatile=evaluation)``, as pre-0.4 pytorch/examples wrote it)."""
    script = analysis.script
    for site in region.calls():
        if site.method == "Variable" and literal(call_arg(site.node, None, "volatile")) is True:
            return site
        callee = script.callee(site)
        if callee is None:
            continue
        for inner in callee.calls:
            flag = call_arg(inner.node, None, "volatile") if inner.method == "Variable" else None
            if (type(flag) is cst.Name and flag.value in callee.params
                    and literal(callee.argument(site, flag.value)) is True):
                return inner
    return None



# --- fix ---------------------------------------------------------------------------------------

def torch_module_name(script: Script) -> str | None:
    """How the file names the torch module (``torch``, ``T`` for ``import torch as T``); None when
    torch is not imported as a module."""
    names = [local for local, target in script.imports.items() if target == "torch"]
    if "torch" in names:
        return "torch"
    return names[0] if names else None


def _fix(analysis: Regions, region: EvalRegion, node: cst.CSTNode, statement: cst.CSTNode | None,
         forward: Forward) -> Fix | None:
    script = analysis.script
    torch = torch_module_name(script)
    if torch is None:
        return None
    function = forward.site.function
    no_grad = cst.Call(func=cst.Attribute(value=cst.Name(torch), attr=cst.Name("no_grad")))
    if type(node) in (cst.For, cst.While):
        target = node
    elif (type(statement) is cst.SimpleStatementLine and contains(statement, node)
          and isinstance(parent_of(script, statement), (cst.IndentedBlock, cst.Module))):
        target = statement
    else:
        target = None  # the forward pass is part of a larger statement: no place to put a `with`
    if function.is_generator or target is not None and _passes_outside(analysis, region, target):
        # a `with` around a `yield` would keep gradients off in the caller while the generator
        # waits; an evaluation function with passes outside the loop (`if name: ... return` before
        # it) needs them all covered: the decorator switches gradients off for the function's code
        if type(function.node) is not cst.FunctionDef or any(
                type(d.decorator) is cst.Call and script.qualname(d.decorator.func) in NO_GRAD
                for d in function.node.decorators):
            return None
        decorated = function.node.with_changes(
            decorators=[*function.node.decorators, cst.Decorator(decorator=no_grad)])
        safe = _outputs_stay_local(script, region, function.node, forward)
        return Fix(f"decorate `{function.name}()` with `@{torch}.no_grad()`",
                   (Edit(function.node, replacement=decorated),), safe=safe)
    if target is None:
        return None
    wrapped = cst.With(
        items=[cst.WithItem(no_grad)],
        body=cst.IndentedBlock(body=[target.with_changes(leading_lines=[])]),
        leading_lines=target.leading_lines,
    )
    safe = _outputs_stay_local(script, region, target, forward)
    return Fix(f"wrap the evaluation in `with {torch}.no_grad():`", (Edit(target, replacement=wrapped),), safe=safe)


def _passes_outside(analysis: Regions, region: EvalRegion, target: cst.CSTNode) -> bool:
    """A whole evaluation function has forward passes with gradients on that ``target`` does not hold."""
    if region.loop is not None or region.statement is not None:
        return False
    return any(not contains(target, other.site.node) and analysis.grad_at(other.site) == "on"
               and other.site.function is region.function for other in region.forwards)


class _Escapes(cst.CSTVisitor):
    """Stores that leave the function: assignments to attributes (``self.outputs = ...``)."""

    def __init__(self) -> None:
        self.found = False

    def _target(self, target: cst.BaseExpression) -> None:
        if type(target) is cst.Subscript:
            self._target(target.value)  # `preds[i] = ...` stores into `preds`
        elif type(target) is cst.Attribute:
            self.found = True
        elif type(target) in (cst.Tuple, cst.List):
            for element in target.elements:
                self._target(element.value)
        elif type(target) is cst.StarredElement:
            self._target(target.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._target(node.target)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False


def _outputs_stay_local(script: Script, region: EvalRegion, target: cst.CSTNode, forward: Forward) -> bool:
    """No later backward pass can need the graph of what the wrapped code computes: none in the
    function outside it, none in a caller of this file on what the function returns."""
    function = forward.site.function
    if (function.returns or function.is_generator) and \
            result_reaches_backward(script, function):
        return False
    for site in function.calls:
        if site.method in ("backward", "grad") or script.qualname(site.node.func) in (
                "torch.enable_grad", "torch.autograd.enable_grad", "torch.set_grad_enabled"):
            if not contains(target, site.node):
                return False
    escapes = _Escapes()
    walk(target, escapes)
    return not escapes.found
