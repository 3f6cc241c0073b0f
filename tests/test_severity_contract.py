"""Severity is a contract: `error` only when every fact a finding rests on was resolved; a finding
that rests on a guessed link (a name taken for a binding) is a warning at most (fitlint.rule)."""

from __future__ import annotations

import textwrap
from typing import Iterator

import pytest

from fitlint.analysis.script import RESOLVED, Script, guessed
from fitlint.config import Config
from fitlint.engine import scan_source
from fitlint.findings import Severity
from fitlint.rule import Report, Rule, rules_by_code

SOURCE = "import torch\nmodel = torch.nn.Linear(2, 2)\n"


def _stub(basis):
    class Stub(Rule):
        code = "FIT999"
        name = "stub"
        severity = Severity.ERROR

        def check(self, script: Script) -> Iterator[Report]:
            yield Report(script.module.body[1], "stub finding", basis=basis)

    return Stub()


def test_the_engine_lowers_an_error_resting_on_a_guess_to_a_warning():
    [finding] = scan_source("train.py", SOURCE, [_stub(guessed("`model` taken for a model by its name"))],
                            Config()).findings
    assert finding.severity is Severity.WARNING


def test_the_engine_keeps_an_error_resting_on_resolved_facts():
    [finding] = scan_source("train.py", SOURCE, [_stub(RESOLVED)], Config()).findings
    assert finding.severity is Severity.ERROR


def severities(code: str, source: str) -> list[Severity]:
    rule = rules_by_code()[code]()
    result = scan_source("train.py", textwrap.dedent(source), [rule], Config())
    assert not result.errors
    return [finding.severity for finding in result.findings if finding.code == code]


STEP_LOOP = """
    import torch
    import torch.nn.functional as F

    def fit(model, loader, {optimizer}):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

    net = torch.nn.Linear(4, 2)
    {binding}
    fit(net, train_loader, opt)
"""


@pytest.mark.parametrize(("binding", "expected"), [
    ("opt = torch.optim.SGD(net.parameters(), lr=0.1)", Severity.ERROR),
    ("opt = make_optimizer(net)", Severity.WARNING),  # `opt.step()` is an optimizer step by its name only
])
def test_missing_zero_grad_is_an_error_only_on_a_resolved_optimizer(binding, expected):
    source = STEP_LOOP.format(optimizer="opt", binding=binding)
    assert severities("FIT501", source) == [expected]


EVAL_LOOP = """
    import torch
    import torch.nn as nn
    import torch.nn.functional as F
    from torchvision import datasets

    {binding}
    optimizer = torch.optim.SGD(net.parameters(), lr=0.1)
    test_loader = torch.utils.data.DataLoader(datasets.MNIST("data", train=False), batch_size=256)
    for epoch in range(10):
        net.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            F.cross_entropy(net(x), y).backward()
            optimizer.step()
        with torch.no_grad():
            for x, y in test_loader:
                net(x)
"""


@pytest.mark.parametrize(("binding", "expected"), [
    ("net = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.Dropout(0.5), nn.Linear(64, 10))", Severity.ERROR),
    ("net = build_network()", Severity.WARNING),  # taken for a model by its name: its layers are unknown
])
def test_eval_without_eval_mode_is_an_error_only_on_a_resolved_model(binding, expected):
    assert severities("FIT201", EVAL_LOOP.format(binding=binding)) == [expected]


TRAIN_RESUMES = """
    import torch
    import torch.nn as nn
    from helpers import backprop

    net = nn.Sequential(nn.Flatten(), nn.Linear(784, 64), nn.Dropout(0.5), nn.Linear(64, 10))
    {binding}
    net.train()
    for epoch in range(10):
        for x, y in train_loader:
            optimizer.zero_grad()
            backprop(net(x), y)
            optimizer.step()
        net.eval()
        with torch.no_grad():
            for x, y in val_loader:
                net(x)
"""


@pytest.mark.parametrize(("binding", "expected"), [
    ("optimizer = torch.optim.Adam(net.parameters())", Severity.ERROR),
    # no backward() in sight and `optimizer` bound elsewhere: the training step is a guess
    ("optimizer = make_optimizer(net)", Severity.WARNING),
])
def test_train_mode_not_restored_is_an_error_only_on_a_resolved_training_step(binding, expected):
    assert severities("FIT203", TRAIN_RESUMES.format(binding=binding)) == [expected]


@pytest.mark.parametrize(("use", "expected"), [
    ("train_set = TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train))", Severity.ERROR),
    # never used together here: only their names pair them
    ("", Severity.WARNING),
])
def test_labels_shuffled_separately_is_an_error_only_when_the_pairing_is_seen(use, expected):
    source = f"""
        import numpy as np
        import torch
        from torch.utils.data import TensorDataset

        X_train = np.load("x.npy")
        y_train = np.load("y.npy")
        np.random.shuffle(X_train)
        np.random.shuffle(y_train)
        {use}
    """
    assert severities("FIT103", source) == [expected]


def test_labels_paired_through_a_cut_and_a_conversion_are_a_resolved_pairing():
    source = """
        import numpy as np
        import torch
        from torch.utils.data import TensorDataset

        features = np.load("x.npy")
        labels = np.load("y.npy")
        np.random.shuffle(features)
        np.random.shuffle(labels)
        x_train, y_train = torch.from_numpy(features[:1000]), torch.from_numpy(labels[:1000])
        train_set = TensorDataset(x_train, y_train)
    """
    assert severities("FIT103", source) == [Severity.ERROR]
