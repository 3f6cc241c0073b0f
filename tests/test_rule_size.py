"""Rules stay small: a rule states what it looks for in terms of the shared analysis, which does
the resolving (lint/analysis/). Where a rule grows past about 250 lines of code, it is carrying
a private analysis that belongs in the shared layer (a tracer, a timeline, a name collector).

Counted: the lines of a rule module that hold code, without blank lines, comments, docstrings,
the VALID / INVALID example lists and the module-level example snippets they are built from."""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIMIT = 250


def code_lines(source: str) -> int:
    tree = ast.parse(source)
    skipped: set[int] = set()

    def skip(node: ast.AST) -> None:
        skipped.update(range(node.lineno, node.end_lineno + 1))

    for node in ast.walk(tree):
        body = getattr(node, "body", None)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef) and body and _is_string(body[0]):
            skip(body[0])  # a docstring
        if isinstance(node, ast.Assign) and any(
                isinstance(target, ast.Name) and target.id in ("VALID", "INVALID") for target in node.targets):
            skip(node)
    for node in tree.body:  # example snippets: module-level multi-line strings
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and "\n" in str(node.value.value):
            skip(node)
    return sum(
        1 for number, line in enumerate(source.splitlines(), 1)
        if number not in skipped and line.strip() and not line.strip().startswith("#")
    )


def _is_string(node: ast.stmt) -> bool:
    return isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)


def test_the_counter_leaves_out_documentation_and_examples():
    source = '''"""Module docstring."""
HEADER = """\\
import torch
"""


class R:
    """Docstring
    over lines."""

    VALID = [
        "x",
        "y",
    ]

    def check(self):
        # a comment
        return 1
'''
    assert code_lines(source) == 3  # class R:, def check, return 1


def test_no_rule_carries_a_private_analysis():
    sizes = {path.name: code_lines(path.read_text()) for path in sorted((ROOT / "rules").glob("*.py"))}
    assert len(sizes) > 20
    assert {name: size for name, size in sizes.items() if size > LIMIT} == {}
