"""The import direction between layers, as the README's architecture table states it: each module
of lint/ and rules/ may import only its own layer and the layers its row names. Every import counts,
including those inside functions and under ``if TYPE_CHECKING:`` (parsed with ast, nothing imported).
No module reaches for another module's private names."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
EVERY_LAYER, NOTHING_ELSE = "every layer", "nothing else"


def layer_table(readme: str) -> dict[str, tuple[list[str], set[str] | None]]:
    """The architecture table: layer -> (the paths it holds, the layers it may import; None: all)."""
    section = readme.split("\n## Architecture\n", 1)[1].split("\n## ", 1)[0]
    table = {}
    for line in section.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        if not line.startswith("|") or len(cells) != 3 or cells[0] in ("layer", "---"):
            continue
        layer, where, allowed = cells
        paths = re.findall(r"`([^`]+)`", where)
        if allowed == EVERY_LAYER:
            table[layer] = (paths, None)
        else:
            table[layer] = (paths, set() if allowed == NOTHING_ELSE else {a.strip() for a in allowed.split(",")})
    return table


TABLE = layer_table(README)


def layer_of(path: str) -> str | None:
    """The layer whose most specific path (a file, else the longest folder) holds ``path``."""
    best, length = None, -1
    for layer, (paths, _) in TABLE.items():
        for prefix in paths:
            if (path == prefix or (prefix.endswith("/") and path.startswith(prefix))) and len(prefix) > length:
                best, length = layer, len(prefix)
    return best


def module_file(module: str) -> str | None:
    """The repository file of a ``fitlint`` module, or None for another package."""
    parts = module.split(".")
    if parts[0] != "fitlint":
        return None
    base = ROOT / "rules" if parts[1:2] == ["rules"] else ROOT / "lint"
    rest = parts[2:] if parts[1:2] == ["rules"] else parts[1:]
    for candidate in (base.joinpath(*rest).with_suffix(".py") if rest else None, base.joinpath(*rest, "__init__.py")):
        if candidate is not None and candidate.is_file():
            return candidate.relative_to(ROOT).as_posix()
    raise AssertionError(f"no file for {module}")


def module_name(path: Path) -> str:
    relative = path.relative_to(ROOT)
    parts = ["fitlint", *relative.parts[1:]] if relative.parts[0] == "lint" else ["fitlint", *relative.parts]
    parts[-1] = parts[-1].removesuffix(".py")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(path: Path, text: str) -> set[str]:
    """Every module an import statement anywhere in ``text`` (the source of ``path``) names
    (``from a import b``: ``a.b`` when that is a module, else ``a``)."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rsplit(".", 1)[0]
    found = set()
    for node in ast.walk(ast.parse(text)):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            for alias in node.names:
                submodule = f"{base}.{alias.name}"
                found.add(submodule if _is_module(submodule) else base)
    return found


def _is_module(name: str) -> bool:
    try:
        return module_file(name) is not None
    except AssertionError:
        return False


def sources() -> list[Path]:
    return sorted([*ROOT.glob("lint/**/*.py"), *ROOT.glob("rules/*.py")])


def violations(texts: dict[Path, str]) -> list[str]:
    found = []
    for path, text in texts.items():
        relative = path.relative_to(ROOT).as_posix()
        layer = layer_of(relative)
        allowed = TABLE[layer][1]
        for module in sorted(imported_modules(path, text)):
            target = module_file(module)
            if target is None or allowed is None:
                continue
            target_layer = layer_of(target)
            if target_layer != layer and target_layer not in allowed:
                found.append(f"{relative} ({layer}) imports {module} ({target_layer})")
    return found


def source_texts() -> dict[Path, str]:
    return {path: path.read_text(encoding="utf-8") for path in sources()}


def test_the_table_names_known_layers():
    assert len(TABLE) >= 8
    for layer, (paths, allowed) in TABLE.items():
        assert paths, layer
        for path in paths:
            assert (ROOT / path).exists(), f"{path} in the architecture table does not exist"
        assert allowed is None or allowed <= set(TABLE), f"{layer} names an unknown layer: {allowed - set(TABLE)}"


def test_every_module_belongs_to_a_layer():
    assert [path.relative_to(ROOT).as_posix() for path in sources() if layer_of(path.relative_to(ROOT).as_posix()) is None] == []


def test_imports_go_only_where_the_table_allows():
    assert violations(source_texts()) == []


def test_a_wrong_way_import_inside_a_function_is_seen():
    texts = source_texts()
    script = ROOT / "lint" / "analysis" / "script.py"
    texts[script] += "\n\ndef late():\n    if True:\n        from fitlint.engine import scan_source\n"
    texts[ROOT / "lint" / "logs" / "run.py"] += "\nfrom ..analysis import script\n"
    assert violations(texts) == [
        "lint/analysis/script.py (analysis) imports fitlint.engine (scanner)",
        "lint/logs/run.py (log analyzer) imports fitlint.analysis.script (analysis)",
    ]


def import_cycle(texts: dict[Path, str]) -> list[str]:
    """One chain of files that imports its own start (inside functions included), or []."""
    graph = {}
    for path, text in texts.items():
        relative = path.relative_to(ROOT).as_posix()
        graph[relative] = sorted({module_file(module) for module in imported_modules(path, text)} - {None, relative})
    done: set[str] = set()

    def visit(node: str, chain: list[str]) -> list[str]:
        if node in chain:
            return chain[chain.index(node):] + [node]
        if node in done:
            return []
        for target in graph.get(node, []):
            found = visit(target, [*chain, node])
            if found:
                return found
        done.add(node)
        return []

    for start in graph:
        found = visit(start, [])
        if found:
            return found
    return []


def test_no_import_cycle():
    assert import_cycle(source_texts()) == []


def test_a_cycle_is_seen():
    texts = source_texts()
    texts[ROOT / "lint" / "findings.py"] += "\n\ndef late():\n    from fitlint.config import Config\n"
    cycle = import_cycle(texts)
    assert cycle[0] == cycle[-1] and set(cycle) == {"lint/config.py", "lint/findings.py"}


# positions.py generates code as libcst does, through libcst's own per-node code generation.
LIBCST_PRIVATE = {"_codegen"}


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_reaches(texts: dict[Path, str]) -> list[str]:
    """Imports of another fitlint module's ``_name``, and ``obj._name`` on anything but self/cls."""
    found = []
    for path, text in texts.items():
        relative = path.relative_to(ROOT).as_posix()
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, ast.ImportFrom) and (node.level or (node.module or "").startswith("fitlint")):
                found += [f"{relative}:{node.lineno}: imports {alias.name}" for alias in node.names if _private(alias.name)]
            elif (isinstance(node, ast.Attribute) and _private(node.attr) and node.attr not in LIBCST_PRIVATE
                  and not (isinstance(node.value, ast.Name) and node.value.id in ("self", "cls"))):
                found.append(f"{relative}:{node.lineno}: uses {ast.unparse(node)}")
    return found


def test_no_module_reaches_for_private_names_of_another():
    assert private_reaches(source_texts()) == []


def test_a_private_reach_is_seen():
    texts = {ROOT / "rules" / "double_softmax.py": "from fitlint.analysis.outputs import _chain\nscript._values\n"}
    assert private_reaches(texts) == ["rules/double_softmax.py:1: imports _chain",
                                      "rules/double_softmax.py:2: uses script._values"]
