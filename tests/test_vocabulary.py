"""One vocabulary across the scanner and the log analyzer: a split and a severity are the same word
in both, and the states the analysis passes around are enum members, not free strings."""

from __future__ import annotations

import libcst as cst
import pytest

from fitlint.analysis.catalog import ObjKind, kind_of
from fitlint.analysis.data import ShuffleState, dataloaders, split_from_name
from fitlint.analysis.script import Script
from fitlint.findings import HELD_OUT, Severity, Split
from fitlint.logs.names import SPLIT_WORDS, classify


def test_the_log_analyzer_names_splits_with_the_split_words():
    assert set(SPLIT_WORDS.values()) == {split.value for split in Split}
    assert classify("val_accuracy")[0] == Split.VALIDATION


@pytest.mark.parametrize(("name", "split"), [
    ("trainloader", Split.TRAIN), ("val_set", Split.VALIDATION), ("valid_loader", Split.VALIDATION),
    ("testset", Split.TEST), ("self.dev_data", Split.VALIDATION), ("model", None),
    ("valloader", Split.VALIDATION), ("devset", Split.VALIDATION), ("evalset", Split.VALIDATION),
    # words that only begin like a split: pandas' `df.values`, `device`
    ("df.values", None), ("value", None), ("device", None), ("devices", None),
    # the split glued to its role in a later word: `cifar_testset`, `mnist_testloader`, a Romanian
    # `data_validare`; words that only contain the letters stay silent
    ("cifar_testset", Split.TEST), ("mnist_testloader", Split.TEST), ("data_validare", Split.VALIDATION),
    ("cifar_trainset", Split.TRAIN), ("latest_ckpt", None), ("protest_votes", None), ("num_devices", None),
    ("interval", None), ("log_interval", None), ("default_value", None),
])
def test_the_scanner_names_splits_with_the_same_words(name, split):
    assert split_from_name(name) is split


def test_held_out_is_validation_and_test():
    assert HELD_OUT == {Split.VALIDATION, Split.TEST} and "validation" in HELD_OUT


def test_states_are_enum_members():
    source = (
        "import torch\nfrom torch.utils.data import DataLoader\n"
        "train_loader = DataLoader(train_set, batch_size=8)\n"
        "val_loader = DataLoader(val_set, batch_size=8, shuffle=flag)\n"
    )
    script = Script("x.py", source, cst.parse_module(source))
    loaders = {loader.split: loader for loader in dataloaders(script)}
    assert loaders[Split.TRAIN].shuffle.state is ShuffleState.NO
    assert loaders[Split.VALIDATION].shuffle.state is ShuffleState.UNKNOWN
    assert loaders[Split.TRAIN].obj.kind is ObjKind.DATALOADER
    assert kind_of("torch.optim.SGD") is ObjKind.OPTIMIZER and kind_of("torch.nn.CrossEntropyLoss") is ObjKind.LOSS


def test_words_print_and_hash_as_their_value():
    assert f"{Split.VALIDATION} {Severity.ERROR} {ObjKind.GRAD_SCALER}" == "validation error grad_scaler"
    assert {"dataloader": 1}[ObjKind.DATALOADER] == 1
