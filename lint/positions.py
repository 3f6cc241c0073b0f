"""Line and column of reported nodes, computed only for files with findings, and cheaply.

libcst's PositionProvider generates the module's code while computing a line and column for every
token (a regular expression per token) and a CodeRange object for every node: about 2x the parse.
Here the code generation records only token *indices* per node, with the same rules as
PositionProvider (syntactic positions, start/end hoisted from child nodes), and lines and columns
are worked out afterwards for the few nodes that were reported.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst.metadata import CodePosition, CodeRange

from fitlint.script import children


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


def node_positions(module: cst.Module, nodes: Iterable[cst.CSTNode], source: str | None = None) -> dict[int, CodeRange]:
    """Spans (1-based lines, 0-based columns, as PositionProvider gives them) keyed by ``id(node)``.

    With the module's ``source``, only the top-level statements that hold a wanted node are
    generated, each on its own, and each is placed by finding its code in the source (code
    generation reproduces the source exactly): the one occurrence after the statements placed so
    far must be its own. Where the code occurs twice there, the whole module is generated instead.
    """
    wanted = {id(node) for node in nodes}
    if source is not None:
        found = _by_statement(module, wanted, source)
        if found is not None:
            return found
    state = _codegen(module, module)
    return _ranges(state, wanted, "".join(state.tokens), 1)


def _by_statement(module: cst.Module, wanted: set[int], source: str) -> dict[int, CodeRange] | None:
    out: dict[int, CodeRange] = {}
    remaining = set(wanted)
    lower = 0  # where the next statement can start: after the last one placed
    for statement in module.body:
        if not remaining:
            break
        if not _holds_any(statement, remaining):
            continue
        state = _codegen(module, statement)
        text = "".join(state.tokens)
        offset = source.find(text, lower)
        if not text or offset < 0 or source.find(text, offset + 1) >= 0:
            return None  # not found once after the statements placed so far: ambiguous
        lower = offset + len(text)
        # a top-level statement starts a line: its leading blank lines and comments are its own
        line = 1 + _newlines(source, 0, offset)
        located = _ranges(state, remaining, text, line)
        out.update(located)
        remaining -= located.keys()
    return out if not remaining else None


def _holds_any(tree: cst.CSTNode, ids: set[int]) -> bool:
    stack = [tree]
    while stack:
        current = stack.pop()
        if id(current) in ids:
            return True
        stack.extend(children(current))
    return False


def _codegen(module: cst.Module, node: cst.CSTNode) -> _IndexState:
    state = _IndexState(default_indent=module.default_indent, default_newline=module.default_newline)
    node._codegen(state)
    return state


def _ranges(state: _IndexState, wanted: set[int], text: str, first_line: int) -> dict[int, CodeRange]:
    keys = [key for key in wanted if key in state.spans]
    located = _locate(state.tokens, sorted({index for key in keys for index in state.spans[key]}), text, first_line)
    return {key: CodeRange(located[state.spans[key][0]], located[state.spans[key][1]]) for key in keys}


def _newlines(text: str, start: int, end: int) -> int:
    """Line breaks in ``text[start:end]``: ``\\n``, ``\\r\\n`` or a lone ``\\r``, as libcst counts them."""
    return text.count("\n", start, end) + text.count("\r", start, end) - text.count("\r\n", start, end)


def _locate(tokens: list[str], indices: list[int], text: str, line: int) -> dict[int, CodePosition]:
    """The line and column at each token index (``text`` is the tokens joined), counting the line
    breaks between consecutive wanted offsets only: no token ever splits a ``\\r\\n``."""
    out = {}
    offset, token, line_start = 0, 0, 0
    for index in indices:
        end = offset + sum(map(len, tokens[token:index]))
        breaks = _newlines(text, offset, end)
        if breaks:
            line += breaks
            line_start = max(text.rfind("\n", offset, end), text.rfind("\r", offset, end)) + 1
        offset, token = end, index
        out[index] = CodePosition(line, offset - line_start)
    return out
