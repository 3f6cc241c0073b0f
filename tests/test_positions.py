"""fitlint's positions must equal libcst's PositionProvider's, node for node."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from fitlint.positions import node_positions
from fitlint.script import Script

ROOT = Path(__file__).resolve().parent.parent
SOURCES = {
    "crlf": "# header comment\r\nimport torch\r\n\r\nx = torch.zeros(1)\r\nif x:\r\n    y = (torch.ones(\r\n        2))\r\n",
    "header-docstring": '#!/usr/bin/env python\n# coding: utf-8\n"""doc\nstring"""\n\nimport torch\n\n\ndef f():\n    return torch.relu(torch.ones(1))\n',
    "no-trailing-newline": "import torch\nclass A:\n    def f(self):\n        torch.nn.ReLU()",
    "tabs": "import torch\nfor i in range(3):\n\ttorch.zeros(i)\n\tif i:\n\t\ttorch.ones(i)\n",
}
for folder in (ROOT / "examples", ROOT / "tests" / "scripts"):
    SOURCES.update({path.name: path.read_text() for path in sorted(folder.glob("*.py"))})


@pytest.mark.parametrize("name", sorted(SOURCES))
def test_call_positions_match_position_provider(name):
    source = SOURCES[name]
    module = cst.parse_module(source)
    script = Script(name, source, module)
    nodes = [site.node for site in script.calls] + [site.statement for site in script.calls]
    nodes += [assignment.value for assignment in script.assigns] + [loop.node for loop in script.loops]
    assert nodes
    ours = node_positions(module, nodes)
    theirs = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    for node in nodes:
        assert ours[id(node)] == theirs[node], cst.Module([]).code_for_node(node)
