"""The engine's parse (``fitlint.engine.parse_module``) skips libcst's node validation: the same
tree as ``libcst.parse_module``, and validation back on for every node built afterwards."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest

from fitlint.engine import parse_module

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted((ROOT / "tests" / "scripts").glob("*.py")) + sorted((ROOT / "examples").glob("*.py"))


def test_the_tree_is_libcsts():
    assert len(SOURCES) > 50
    for path in SOURCES:
        source = path.read_text(encoding="utf-8")
        tree = parse_module(source)
        assert tree.deep_equals(cst.parse_module(source)), path
        assert tree.code == source


def test_the_parse_runs_no_validation(monkeypatch):
    validated = []
    monkeypatch.setattr(cst.Name, "_validate", lambda node: validated.append(node.value))
    parse_module("model = nn.Linear(4, 2)\n")
    assert validated == []
    cst.parse_module("model = nn.Linear(4, 2)\n")
    assert validated == ["model", "nn", "Linear"]


@pytest.mark.parametrize("source", ["x = 1\n", "x = (\n"])
def test_validation_is_back_after_the_parse(source):
    try:
        parse_module(source)
    except cst.ParserSyntaxError:
        pass
    with pytest.raises(cst.CSTValidationError):
        cst.Name("not an identifier")
