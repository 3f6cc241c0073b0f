"""fitlint's positions must equal libcst's PositionProvider's, node for node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import CodePosition, MetadataWrapper, PositionProvider

from fitlint.positions import node_positions
from fitlint.analysis.script import Script

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "crlf": "# header comment\r\nimport torch\r\n\r\nx = torch.zeros(1)\r\nif x:\r\n    y = (torch.ones(\r\n        2))\r\n",
    "header-docstring": '#!/usr/bin/env python\n# coding: utf-8\n"""doc\nstring"""\n\nimport torch\n\n\ndef f():\n    return torch.relu(torch.ones(1))\n',
    "no-trailing-newline": "import torch\nclass A:\n    def f(self):\n        torch.nn.ReLU()",
    "tabs": "import torch\nfor i in range(3):\n\ttorch.zeros(i)\n\tif i:\n\t\ttorch.ones(i)\n",
    "lone-cr": "import torch\r\rx = torch.zeros(1)\rdef f():\r    return torch.ones(\r        2)\r",
    # the same top-level statement twice, and a top-level statement that also occurs indented
    "repeated": "import torch\nmodel = torch.nn.Linear(1, 1)\nmodel.train()\nmodel.train()\n"
                "def f():\n    model.eval()\n    return 1\nmodel.eval()\nx = f()\n",
}
for folder in (ROOT / "examples", ROOT / "tests" / "scripts"):
    SOURCES.update({path.name: path.read_text() for path in sorted(folder.glob("*.py"))})


@pytest.mark.parametrize("with_source", [True, False], ids=["by-statement", "whole-module"])
@pytest.mark.parametrize("name", sorted(SOURCES))
def test_call_positions_match_position_provider(name, with_source):
    source = SOURCES[name]
    module = cst.parse_module(source)
    script = Script(name, source, module)
    nodes = [site.node for site in script.calls] + [site.statement for site in script.calls]
    nodes += [assignment.value for assignment in script.assigns if not assignment.unpacked]
    nodes += [loop.node for loop in script.loops]
    assert nodes
    ours = node_positions(module, nodes, source if with_source else None)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in nodes:
        assert ours[id(node)] == theirs[node], cst.Module([]).code_for_node(node)


@pytest.mark.parametrize("name", ["repeated", "header-docstring"])
def test_each_reported_statement_alone(name):
    """One node at a time: the statement search must place it without the others' help, whether
    its code is unique (found in the source) or repeated (the whole module is generated)."""
    source = SOURCES[name]
    module = cst.parse_module(source)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    script = Script(name, source, module)
    for node in [site.node for site in script.calls] + list(module.body):
        assert node_positions(module, [node], source)[id(node)] == theirs[node]


def test_statement_search_is_used_and_refused_where_ambiguous(monkeypatch):
    """The fast path really runs (no whole-module generation) when a statement's code is unique:
    the innermost one when it is, the next one out when the innermost repeats. It is refused when
    no enclosing statement is unique."""
    import fitlint.positions as positions

    generated = []
    real = positions._codegen
    monkeypatch.setattr(positions, "_codegen", lambda module, node, *rest: generated.append(node) or real(module, node, *rest))
    source = SOURCES["repeated"]
    module = cst.parse_module(source)
    unique = module.body[-1]  # x = f()
    node_positions(module, [unique], source)
    assert generated == [unique]

    generated.clear()
    function = module.body[4]  # def f(): model.eval() -- the same text as the top-level one, indented
    inner = function.body.body[0]
    call = inner.body[0].value
    assert node_positions(module, [call], source)[id(call)].start == CodePosition(6, 4)
    assert generated == [inner]  # "    model.eval()" occurs once: the top-level one has no indent

    generated.clear()
    repeated = module.body[3]  # the second model.train()
    node_positions(module, [repeated], source)
    assert generated[-1] is module


def test_nested_statement_repeated_falls_back_to_the_one_around_it(monkeypatch):
    import fitlint.positions as positions

    source = (
        "import torch\n"
        "def train(model, loader):\n    for x in loader:\n        loss = model(x)\n        loss.backward()\n"
        "def check(model, data):\n    for x in data:\n        loss = model(x)\n"
    )
    module = cst.parse_module(source)
    generated = []
    real = positions._codegen
    monkeypatch.setattr(positions, "_codegen", lambda module, node, *rest: generated.append(node) or real(module, node, *rest))
    loop = module.body[2].body.body[0]  # check()'s loop: "loss = model(x)" repeats, the loop does not
    statement = loop.body.body[0]
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    assert node_positions(module, [statement], source)[id(statement)] == theirs[statement]
    assert generated == [statement, loop]


@pytest.mark.parametrize("hinted", ["right", "wrong", "not-a-statement"])
@pytest.mark.parametrize("name", ["crlf", "tabs", "repeated", "train_seed.py"])
def test_statement_hints_speed_up_but_never_change_positions(name, hinted, monkeypatch):
    """The engine passes each reported node's statement as a hint; a hint that does not hold the
    node (or is no statement) must still give PositionProvider's answer. Right hints need no walk
    through expressions."""
    import fitlint.positions as positions

    walks = []
    real = positions._enclosing_statements
    monkeypatch.setattr(positions, "_enclosing_statements",
                        lambda module, wanted, statements_only: walks.append(statements_only) or real(module, wanted, statements_only))
    source = SOURCES[name] if name in SOURCES else (ROOT / "examples" / name).read_text()
    module = cst.parse_module(source)
    script = Script(name, source, module)
    sites = script.calls
    assert sites
    hints = {
        "right": {id(site.node): site.statement for site in sites},
        "wrong": {id(site.node): module.body[0] for site in sites},
        "not-a-statement": {id(site.node): site.node for site in sites},
    }[hinted]
    nodes = [site.node for site in sites]
    ours = node_positions(module, nodes, source, hints)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in nodes:
        assert ours[id(node)] == theirs[node], cst.Module([]).code_for_node(node)
    if hinted == "right":
        assert walks == [True]


LONG_EVALUATION = '''import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(10, 10), nn.Dropout(0.5), nn.Linear(10, 2))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
train_loader = torch.utils.data.DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = torch.utils.data.DataLoader(val_set, batch_size=256)
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    correct = total = 0
    for x, y in val_loader:
        x = x.float()
        y = y.long()
        logits = model(x)
        predicted = logits.argmax(1)
        total += y.numel()
        correct += (predicted == y).sum().item()
        if total > 10000:
            break
        print(correct, total)
        print(correct / total)
        print("still evaluating")
        print("a long loop")
    print(correct / total)
'''


def test_an_evaluation_finding_spans_its_loop_header_down_to_the_forward_pass():
    """FIT201 and FIT202 point at the evaluation loop (where `model.eval()` and `no_grad` go) and
    their span ends at the forward pass they are about, not at the loop's last line: the finding
    covers both places a reader looks for."""
    from fitlint.config import Config
    from fitlint.engine import instantiate, scan_source

    result = scan_source("long_evaluation.py", LONG_EVALUATION, instantiate(Config()), Config())
    spans = {finding.code: (finding.line, finding.end_line) for finding in result.findings}
    lines = LONG_EVALUATION.splitlines()
    header, forward = lines.index("    for x, y in val_loader:") + 1, lines.index("        logits = model(x)") + 1
    assert spans["FIT201"] == spans["FIT202"] == (header, forward)


def test_an_evaluation_finding_whose_forward_pass_is_far_below_its_header_is_the_forward_pass():
    """Where the header-to-forward span would cover more than ``LONG_SPAN`` lines (a validation
    loop that prepares hidden states, one-hot encodes and moves tensors before calling the model),
    the finding is the model call its message names, not a screenful of loop."""
    from fitlint.config import Config
    from fitlint.engine import instantiate, scan_source
    from fitlint.rule import LONG_SPAN

    preparation = "".join(f"        x = x + {step}  # preparing the batch\n" for step in range(LONG_SPAN))
    source = LONG_EVALUATION.replace("        x = x.float()\n", "        x = x.float()\n" + preparation)
    result = scan_source("long_preparation.py", source, instantiate(Config()), Config())
    spans = {finding.code: (finding.line, finding.end_line) for finding in result.findings}
    forward = source.splitlines().index("        logits = model(x)") + 1
    assert spans["FIT201"] == spans["FIT202"] == (forward, forward)



EMBED_THEN_MODEL = '''\
import torch
import torch.nn as nn
from model import TextCNN

embeds = nn.Embedding(5000, 128)
model = TextCNN(n_classes=2)
optimizer = torch.optim.Adam(list(model.parameters()) + list(embeds.parameters()), lr=1e-3)
for epoch in range(10):
    model.train()
    for data, label in train_iter:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(embeds(data).unsqueeze(1)), label)
        loss.backward()
        optimizer.step()
    model.eval()
    for test_data, test_labels in test_iter:
        test_data = embeds(test_data)
        test_data = test_data.unsqueeze(1)
        out = model(test_data)
        correct = (out.argmax(1) == test_labels).sum().item()
'''


def test_an_evaluation_that_runs_a_lone_layer_before_the_model_is_reported_for_the_model():
    """TextCNN style: `embeds(x)` (a lone `nn.Embedding`) runs before the model in the evaluation
    loop. FIT202 names the model's pass and spans down to it, and stays a warning: the known
    embedding layer builds a graph too, whatever the imported model holds."""
    from fitlint.config import Config
    from fitlint.engine import instantiate, scan_source
    from fitlint.findings import Severity

    result = scan_source("embed_then_model.py", EMBED_THEN_MODEL, instantiate(Config()), Config())
    found = [finding for finding in result.findings if finding.code == "FIT202"]
    lines = EMBED_THEN_MODEL.splitlines()
    header, forward = lines.index("    for test_data, test_labels in test_iter:") + 1, lines.index("        out = model(test_data)") + 1
    assert [(finding.line, finding.end_line) for finding in found] == [(header, forward)]
    assert found[0].message.startswith("`model(...)`") and found[0].severity is Severity.WARNING


BEST_ON_TEST = '''\
import torch
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

test_loader = DataLoader(datasets.MNIST("data", train=False, transform=transforms.ToTensor()), batch_size=256)
best_acc = 0.0
for epoch in range(10):
    train_one_epoch(model, train_loader)
    acc = accuracy(model, test_loader)
    if acc > best_acc:
        best_acc = acc
        print(f"new best {acc:.3f}")
        torch.save(model.state_dict(), "best.pt")
'''


def test_a_selection_finding_spans_the_comparison_down_to_the_save_it_guards():
    """FIT601 points at the best-so-far comparison (the decision to change) and its span ends at the
    checkpoint save the comparison guards; where the save is more than ``LONG_SPAN`` lines below,
    the finding stays the comparison alone (not the save: the comparison is what to change)."""
    from fitlint.config import Config
    from fitlint.engine import instantiate, scan_source
    from fitlint.rule import LONG_SPAN

    def span(source):
        result = scan_source("best.py", source, instantiate(Config()), Config())
        return next((f.line, f.end_line) for f in result.findings if f.code == "FIT601")

    lines = BEST_ON_TEST.splitlines()
    comparison = lines.index("    if acc > best_acc:") + 1
    assert span(BEST_ON_TEST) == (comparison, lines.index('        torch.save(model.state_dict(), "best.pt")') + 1)
    padding = "".join(f'        print("epoch summary line {i}")\n' for i in range(LONG_SPAN))
    far = BEST_ON_TEST.replace('        print(f"new best {acc:.3f}")\n', '        print(f"new best {acc:.3f}")\n' + padding)
    assert span(far) == (comparison, comparison)
