"""Line and column of reported nodes, computed only for files with findings, and cheaply.

libcst's PositionProvider generates the module's code while computing a line and column for every
token (a regular expression per token) and a CodeRange object for every node: about 2x the parse.
Here the code generation records only token *indices* per node, with the same rules as
PositionProvider (syntactic positions, start/end hoisted from child nodes), and lines and columns
are worked out afterwards for the few nodes that were reported.
"""

from __future__ import annotations

import re
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

_NEWLINE = re.compile(r"\r\n?|\n")


@dataclass
class _IndexState(CodegenState):
    spans: dict = field(default_factory=dict)
    _stack: list = field(default_factory=list)

    def before_codegen(self, node: cst.CSTNode) -> None:
        self._stack.append(len(self.tokens))

    def after_codegen(self, node: cst.CSTNode) -> None:
        start = self._stack.pop()
        self.spans.setdefault(id(node), (start, len(self.tokens)))

    @contextmanager
    def record_syntactic_position(
        self,
        node: cst.CSTNode,
        *,
        start_node: Optional[cst.CSTNode] = None,
        end_node: Optional[cst.CSTNode] = None,
    ) -> Iterator[None]:
        start = len(self.tokens)
        try:
            yield
        finally:
            end = len(self.tokens)
            if start_node is not None:
                start = self.spans[id(start_node)][0]
            if end_node is not None:
                end = self.spans[id(end_node)][1]
            self.spans[id(node)] = (start, end)


def node_positions(module: cst.Module, nodes: Iterable[cst.CSTNode]) -> dict[int, CodeRange]:
    """Spans (1-based lines, 0-based columns, as PositionProvider gives them) keyed by ``id(node)``."""
    state = _IndexState(default_indent=module.default_indent, default_newline=module.default_newline)
    module._codegen(state)
    wanted = {id(node) for node in nodes}
    indices = sorted({index for key in wanted if key in state.spans for index in state.spans[key]})
    located = _locate(state.tokens, indices)
    return {
        key: CodeRange(located[state.spans[key][0]], located[state.spans[key][1]])
        for key in wanted if key in state.spans
    }


def _locate(tokens: list[str], indices: list[int]) -> dict[int, CodePosition]:
    """The line and column at each token index, in one pass over the tokens."""
    out = {}
    line, column, position = 1, 0, 0
    for index in indices:
        for token in tokens[position:index]:
            parts = _NEWLINE.split(token)
            if len(parts) == 1:
                column += len(token)
            else:
                line += len(parts) - 1
                column = len(parts[-1])
        position = index
        out[index] = CodePosition(line, column)
    return out
