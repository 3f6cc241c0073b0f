"""Line and column of reported nodes, computed only where there are findings.

libcst's PositionProvider generates code for the whole module while recording every node's span:
about 2x the parse. A finding needs the spans of a few nodes, so this module generates plain code
(no tracking) for the top-level statements before the one that holds a node, to know its first
line, and runs PositionProvider on that one statement alone.
"""

from __future__ import annotations

from typing import Iterable

import libcst as cst
from libcst.metadata import CodePosition, CodeRange, MetadataWrapper, PositionProvider


def node_positions(module: cst.Module, owner: dict[int, int], nodes: Iterable[cst.CSTNode]) -> dict[int, CodeRange]:
    """Spans (1-based lines, 0-based columns, as libcst gives them) keyed by ``id(node)``."""
    nodes = list(nodes)
    wanted: dict[int, list[cst.CSTNode]] = {}
    for node in nodes:
        wanted.setdefault(owner.get(id(node), -1), []).append(node)
    if -1 in wanted:  # a node outside the recorded statements: fall back to the whole module
        spans = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
        return {id(node): spans[node] for node in nodes if node in spans}
    out: dict[int, CodeRange] = {}
    line = 1 + _newlines(module, module.header, ())
    previous = 0
    for index in sorted(wanted):
        line += _newlines(module, (), module.body[previous:index])
        previous = index
        statement = module.body[index]
        single = cst.Module(
            body=[statement],
            header=[],
            footer=[],
            encoding=module.encoding,
            default_indent=module.default_indent,
            default_newline=module.default_newline,
            has_trailing_newline=True,
        )
        spans = MetadataWrapper(single, unsafe_skip_copy=True).resolve(PositionProvider)
        for node in wanted[index]:
            if node in spans:
                out[id(node)] = _shift(spans[node], line - 1)
    return out


def _newlines(module: cst.Module, header, body) -> int:
    if not header and not body:
        return 0
    part = cst.Module(
        body=list(body),
        header=list(header),
        footer=[],
        encoding=module.encoding,
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        has_trailing_newline=True,
    )
    return part.code.count("\r" if module.default_newline == "\r" else "\n")


def _shift(span: CodeRange, lines: int) -> CodeRange:
    return CodeRange(
        CodePosition(span.start.line + lines, span.start.column),
        CodePosition(span.end.line + lines, span.end.column),
    )
