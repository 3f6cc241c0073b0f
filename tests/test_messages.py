"""Messages that name the likeliest cause when the code shows it: the line a user reads first."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fitlint.config import Config
from fitlint.engine import scan_source
from fitlint.rule import all_rules

EVALUATION = textwrap.dedent("""\
    import torch
    import torch.nn as nn
    from torch.utils.data import DataLoader
    model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 2))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)
    for epoch in range(10):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        {switch}
        with torch.no_grad():
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    """)


def _messages(source: str, code: str) -> list[str]:
    rules = [rule() for rule in all_rules() if rule.code == code]
    return [finding.message for finding in scan_source("train.py", source, rules, Config()).findings]


def test_an_eval_without_parentheses_is_named():
    (message,) = _messages(EVALUATION.format(switch="model.eval  # switch to evaluation"), "FIT201")
    assert "`model.eval` without parentheses" in message


def test_no_such_note_when_the_switch_is_simply_missing():
    (message,) = _messages(EVALUATION.format(switch="print(epoch)"), "FIT201")
    assert "parentheses" not in message
    assert _messages(EVALUATION.format(switch="model.eval()"), "FIT201") == []


def test_an_uncalled_evaluation_method_is_named_with_its_class():
    """An `Evaluator.eval()` that no code of the file calls: a bare `eval()` would read as the
    model's mode switch, which the method does call."""
    source = textwrap.dedent("""\
        import torch


        class Evaluator:
            def __init__(self, model, loader):
                self.model, self.loader = model, loader

            def eval(self):
                self.model.eval()
                correct = 0
                for images, labels in self.loader:
                    correct += (self.model(images).argmax(1) == labels).sum().item()
                return correct
        """)
    (message,) = _messages(source, "FIT202")
    assert "no code of this file calls `Evaluator.eval()`" in message


ZEROING = textwrap.dedent("""\
    import torch
    import torch.nn as nn
    model = nn.Linear(20, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    {before}
    for x, y in train_loader:
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    {after}
    """)


def test_a_zero_grad_only_after_the_loop_is_not_called_one_before_it():
    (message,) = _messages(ZEROING.format(before="", after="optimizer.zero_grad()"), "FIT501")
    assert "anywhere in the loop" in message
    (message,) = _messages(ZEROING.format(before="optimizer.zero_grad()", after=""), "FIT501")
    assert "before the loop only" in message


def test_a_model_handed_to_a_helper_is_not_named_as_a_new_layer():
    # `report_trainable(model)` after the optimizer may add layers to `model`, but names none
    source = (Path(__file__).parent / "scripts" / "builder_frozen_model_moved_to_device.py").read_text()
    (message,) = _messages(source, "FIT503")
    assert "is assigned after the optimizer" not in message and ".?" not in message
