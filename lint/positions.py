"""Line and column of reported nodes, computed only for files with findings, and cheaply.

libcst's PositionProvider generates the module's code while computing a line and column for every
token (a regular expression per token) and a CodeRange object for every node: more than the parse
itself (docs/speed.md). Here the code generation records only token *indices* per node, with the same rules as
PositionProvider (syntactic positions, start/end hoisted from child nodes), and lines and columns
are worked out afterwards for the few nodes that were reported.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Iterable, Iterator, Optional

import libcst as cst
from libcst._nodes.internal import CodegenState
from libcst._position import CodePosition, CodeRange

from fitlint.analysis.script import STATEMENT_TYPES, paths_to


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


def node_positions(module: cst.Module, nodes: Iterable[cst.CSTNode], source: str | None = None,
                   hints: dict[int, cst.CSTNode] | None = None) -> dict[int, CodeRange]:
    """Spans (1-based lines, 0-based columns, as PositionProvider gives them) keyed by ``id(node)``.

    With the module's ``source``, each node's innermost enclosing statement is generated alone
    (with its block's indentation) and placed by finding its code in the source: code generation
    reproduces the source exactly, so a text found once is the statement's own. Where it occurs
    more than once, the next statement out is tried; failing all, the whole module is generated.
    ``hints`` names a statement said to hold a node (``id(node)`` -> statement), so that finding
    it needs a walk over statements only; a wrong hint costs time, never a wrong position.
    """
    nodes = list(nodes)
    if source is not None:
        found = _by_statement(module, nodes, source, hints or {})
        if found is not None:
            return found
    state = _codegen(module, module)
    return _ranges(state, {id(node) for node in nodes}, "".join(state.tokens), 1)


def _by_statement(module: cst.Module, nodes: list[cst.CSTNode], source: str,
                  hints: dict[int, cst.CSTNode]) -> dict[int, CodeRange] | None:
    # whose chain of enclosing statements serves each node: its own when it is a statement, its
    # hint's when it has one, else it is looked for among all nodes
    anchors: dict[int, int] = {}
    statements: set[int] = set()
    others: set[int] = set()
    for node in nodes:
        hint = node if type(node) in STATEMENT_TYPES else hints.get(id(node))
        if type(hint) in STATEMENT_TYPES:
            anchors[id(node)] = id(hint)
            statements.add(id(hint))
        else:
            anchors[id(node)] = id(node)
            others.add(id(node))
    chains = _enclosing_statements(module, statements, statements_only=True) if statements else {}
    if others:
        chains.update(_enclosing_statements(module, others, statements_only=False))
    wanted = set(anchors)
    out: dict[int, CodeRange] = {}
    placed: dict[int, tuple[_IndexState, str, int] | None] = {}
    for key, anchor in anchors.items():
        if key in out:
            continue
        for statement, indents in reversed(chains.get(anchor, [])):  # innermost first
            if id(statement) not in placed:
                placed[id(statement)] = _place(module, statement, indents, source)
            entry = placed[id(statement)]
            if entry is not None and key in entry[0].spans:
                state, text, line = entry
                out.update(_ranges(state, {other for other in wanted if other not in out}, text, line))
                break
        else:
            return None
    return out


def _enclosing_statements(module: cst.Module, wanted: set[int],
                          statements_only: bool) -> dict[int, list[tuple[cst.CSTNode, tuple[str, ...]]]]:
    """For each wanted node, its enclosing statements from the top level in (itself included when
    it is one), each with the indentation the blocks above it give it."""
    chains = {}
    for key, path in paths_to(module, wanted, statements_only).items():
        chain: list[tuple[cst.CSTNode, tuple[str, ...]]] = []
        indents: list[str] = []
        for node in path:
            if type(node) in STATEMENT_TYPES:
                chain.append((node, tuple(indents)))
            elif type(node) is cst.IndentedBlock:
                indents.append(module.default_indent if node.indent is None else node.indent)
        chains[key] = chain
    return chains


def _place(module: cst.Module, statement: cst.CSTNode, indents: tuple[str, ...], source: str) -> tuple[_IndexState, str, int] | None:
    """The statement generated alone, its text, and its first line; None when that text does not
    occur exactly once in the source."""
    state = _codegen(module, statement, indents)
    text = "".join(state.tokens)
    offset = source.find(text)
    if not text or offset < 0 or source.find(text, offset + 1) >= 0:
        return None
    # a statement starts a line: its leading blank lines and comments, then its indentation
    return state, text, 1 + _newlines(source, 0, offset)


def _codegen(module: cst.Module, node: cst.CSTNode, indents: tuple[str, ...] = ()) -> _IndexState:
    state = _IndexState(default_indent=module.default_indent, default_newline=module.default_newline)
    state.indent_tokens = list(indents)
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
