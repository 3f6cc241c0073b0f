"""The shared analysis answers the questions rules ask, on the shapes real training code has."""

from __future__ import annotations

import textwrap

import libcst as cst

from fitlint.analysis.script import Script


def analyze(code: str) -> Script:
    source = textwrap.dedent(code)
    return Script("example.py", source, cst.parse_module(source))


def site(script: Script, name: str, nth: int = 0):
    return [call for call in script.calls if call.name == name][nth]


def function(script: Script, name: str, cls: str | None = None):
    return next(f for f in script.functions if f.name == name and (f.cls.name if f.cls else None) == cls)


MNIST_SHAPE = """
    import torch
    from torch import nn

    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.fc = nn.Linear(4, 2)

    def train(model, loader, optimizer):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            model(x).sum().backward()
            optimizer.step()

    def main(loader):
        model = Net()
        train(model, loader, torch.optim.SGD(model.parameters(), lr=0.1))
"""


def test_a_method_call_is_never_the_free_function_of_the_same_name():
    script = analyze(MNIST_SHAPE)
    train = function(script, "train")
    assert script.callee(site(script, "model.train")) is None
    assert script.callee(site(script, "train")) is train
    assert [call.name for call in script.call_sites_of(train)] == ["train"]
    assert [call.name for call in script.sites_named_like(train)] == ["train"]


def test_a_bare_call_is_never_a_method_of_the_same_name():
    script = analyze("""
        class Trainer:
            def fit(self, model):
                model.fit()

            def run(self):
                fit(self)

        def fit(trainer):
            pass

        trainer = Trainer()
        trainer.fit(object())
    """)
    method = function(script, "fit", cls="Trainer")
    assert [call.name for call in script.sites_named_like(method)] == ["model.fit", "trainer.fit"]
    assert [call.name for call in script.call_sites_of(method)] == ["trainer.fit"]
    assert script.callee(site(script, "fit")) is function(script, "fit")


TRAINER_CYCLE = """
    from torch import nn

    class Trainer:
        def train(self, model):
            model.train()

    net = nn.Linear(4, 2)
    trainer = Trainer()
    trainer.train(net)
"""


def test_an_answer_met_inside_a_cycle_is_not_kept_for_good():
    # Resolving Trainer.train's call sites resolves `model` in `model.train()` (is it a Trainer?),
    # which needs Trainer.train's call sites again: there `model` is unknown for a moment. Asked
    # afterwards, `model` is the `nn.Linear` passed at the call site, whatever was asked first.
    script = analyze(TRAINER_CYCLE)
    method = function(script, "train", cls="Trainer")
    receiver = site(script, "model.train").receiver
    assert [call.name for call in script.call_sites_of(method)] == ["trainer.train"]
    values = script.values(receiver, method)
    assert [script.qualname(bound.expr.func) for bound in values] == ["torch.nn.Linear"]


def test_the_values_of_a_name_do_not_depend_on_the_question_asked_first():
    first = analyze(TRAINER_CYCLE)
    method = function(first, "train", cls="Trainer")
    asked_first = first.values(site(first, "model.train").receiver, method)
    second = analyze(TRAINER_CYCLE)
    second.call_sites_of(function(second, "train", cls="Trainer"))
    asked_later = second.values(site(second, "model.train").receiver, function(second, "train", cls="Trainer"))
    assert [cst.Module([]).code_for_node(b.expr) for b in asked_first] == [
        cst.Module([]).code_for_node(b.expr) for b in asked_later
    ] == ["nn.Linear(4, 2)"]
