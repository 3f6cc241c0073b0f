"""The project files an audited script imports, found by reading import statements with ``ast``
(never importing or executing anything)."""

from __future__ import annotations

import ast
from collections import deque
from pathlib import Path
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from fitlint.files import SourceFile

# A training script imports a handful of local helpers; the cap only guards against a script that
# sits at the top of a large source tree, where following every import would scan the whole tree.
MAX_PROJECT_FILES = 50


def project_files(script: Path) -> list[Path]:
    """``script`` and the project files it imports, transitively, in discovery order.

    "Project" is the script's folder: ``python script.py`` puts it first on sys.path, so an absolute
    ``import helpers`` or ``from models import net`` resolves there; relative imports resolve from
    the importing file's package. Modules outside the folder (torch, numpy) are never followed.
    """
    root = script.parent.resolve()
    found = [script.resolve()]
    queue = deque(found)
    while queue and len(found) < MAX_PROJECT_FILES:
        for target in local_imports(queue.popleft(), root):
            if target not in found and len(found) < MAX_PROJECT_FILES:
                found.append(target)
                queue.append(target)
    return found


def local_imports(path: Path, root: Path) -> list[Path]:
    """The files under ``root`` that ``path``'s import statements name (read with ``ast``, not run),
    found the way the scan's borrow finds them (``fitlint.project.resolve``), in ``root`` only."""
    from fitlint.project import resolve

    tree = _parse(path)
    if tree is None:
        return []
    targets: list[Path] = []
    for level, module, names in _imports(tree):
        # ``from pkg import name`` may name a submodule (pkg/name.py) rather than an attribute.
        dotted = ([module] if module else []) + [f"{module}.{name}" if module else name
                                                  for name in names if name != "*"]
        for candidate in dotted:
            found = resolve(str(path), level, candidate, [str(root)])
            target = Path(found).resolve() if found is not None else None
            # A symlink or ``..`` leading out of the project is someone else's code.
            if target is not None and root in target.parents and target not in targets:
                targets.append(target)
    return targets


def _parse(path: Path) -> ast.Module | None:
    """The file's syntax tree, or None when it cannot be read or parsed (the scan reports that)."""
    try:
        if path.suffix == ".ipynb":
            from fitlint.notebook import NotebookError, read_notebook

            try:
                return ast.parse(read_notebook(path.read_text(encoding="utf-8", errors="replace")).source)
            except NotebookError:
                return None
        return ast.parse(path.read_bytes(), filename=str(path))
    except (OSError, SyntaxError, ValueError, RecursionError, MemoryError):
        return None


def _imports(tree: ast.Module) -> Iterator[tuple[int, str | None, tuple[str, ...]]]:
    """(level, module, imported names) for every import, including those inside functions or try."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield 0, alias.name, ()
        elif isinstance(node, ast.ImportFrom):
            yield node.level, node.module, tuple(alias.name for alias in node.names)


def source_files(script: str) -> list[SourceFile]:
    """The files to scan, each displayed relative to the script as the user named it."""
    from fitlint.files import SourceFile

    given = Path(script)
    root = given.parent.resolve()
    files = [SourceFile(given, script)]
    for path in project_files(given)[1:]:
        display = (given.parent / path.relative_to(root)).as_posix()
        files.append(SourceFile(path, display))
    return files
