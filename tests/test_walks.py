"""The scanner's fast paths stay exact and cheap: rules and the shared analysis walk subtrees with
fitlint.analysis.script.walk, never libcst's visit (its traversal rebuilds and re-validates every node it
passes, which once made rule walks cost more than parsing the file); a scanned file's analysis is
freed; code_of and literal agree with libcst and Python (see benchmarks/bench_scan.py)."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
VISIT = re.compile(r"[\w\)\]]\.visit\(")
# lint/fixes/apply.py applies the fixes with a libcst transformer: rebuilding the tree is its job
ALLOWED = {"lint/fixes/apply.py"}


def test_no_libcst_visit_in_rules_or_analysis():
    offenders = []
    for path in sorted([*ROOT.glob("rules/*.py"), *ROOT.glob("lint/**/*.py")]):
        relative = path.relative_to(ROOT).as_posix()
        if relative in ALLOWED:
            continue
        for number, line in enumerate(path.read_text().splitlines(), 1):
            code = line.split("#", 1)[0]
            if VISIT.search(code) and "``" not in line:
                offenders.append(f"{relative}:{number}: {line.strip()}")
    assert offenders == []


def test_a_scanned_file_leaves_nothing_behind(monkeypatch):
    """Analysis caches live on the Script (fitlint.analysis.script.memoized), so a file's tree and analysis
    are freed once it is scanned. An lru_cache keyed by the script kept the last N files' trees
    alive, and their objects slowed every later garbage collection of the scan."""
    import gc
    import weakref

    import fitlint.engine as engine
    from fitlint.config import Config
    from fitlint.engine import instantiate, scan_source
    from fitlint.analysis.script import Script

    made = []

    def tracked(*args, **kwargs):
        script = Script(*args, **kwargs)
        made.append(weakref.ref(script))
        return script

    monkeypatch.setattr(engine, "Script", tracked)
    config = Config(select=("ALL",))
    rules = instantiate(config)
    paths = sorted((ROOT / "tests" / "scripts").glob("*.py"))[:6] + sorted((ROOT / "examples").glob("*.py"))
    findings = sum(len(scan_source(str(path), path.read_text(), rules, config).findings) for path in paths)
    gc.collect()
    assert findings and len(made) == len(paths)
    assert [ref for ref in made if ref() is not None] == []


def test_code_of_reads_names_as_libcst_writes_them():
    """fitlint.analysis.script.code_of reads plain dotted names off the tree; anything with parentheses or
    spaces must still come out exactly as libcst generates it."""
    import libcst as cst

    from fitlint.analysis.script import code_of

    source = "a.b.c\n(a).b\na . b\n(a.b)\na.\\\n  b\nf(x).y[0]\nx\n(x)\nself.fc.weight\n"
    nodes = [statement.body[0].value for statement in cst.parse_module(source).body]
    for path in sorted((ROOT / "tests" / "scripts").glob("*.py"))[:5]:
        module = cst.parse_module(path.read_text())
        stack = [module]
        while stack:
            node = stack.pop()
            if isinstance(node, cst.Name | cst.Attribute | cst.Subscript | cst.Call):
                nodes.append(node)
            stack.extend(node.children)
    assert len(nodes) > 500
    generate = cst.Module([]).code_for_node
    assert [code_of(node) for node in nodes] == [generate(node) for node in nodes]


def test_literal_reads_numbers_and_strings_as_python_does():
    """fitlint.analysis.script.literal reads most literals without libcst's evaluated_value (a compile per
    call); every spelling must still give Python's value."""
    import ast

    import libcst as cst

    from fitlint.analysis.script import literal

    spellings = [
        "0", "00", "7", "1_000", "0x1F", "0o17", "0b101", "0_0", "1.", ".5", "1e-3", "3.0E+2", "1_0.5",
        "1e400", "'a'", '"b"', "''", '""', "'''x'''", '"""y\nz"""', "'\"'", "\"'''\"", "'a\\nb'",
        "r'\\d'", "b'x'", "'''''' ", "u'q'", "f'{x}'",
    ]
    for spelling in spellings:
        expr = cst.parse_expression(spelling.strip())
        if isinstance(expr, cst.FormattedString):
            assert literal(expr) is ...
            continue
        assert literal(expr) == ast.literal_eval(spelling.strip()), spelling
        assert type(literal(expr)) is type(ast.literal_eval(spelling.strip())), spelling
    assert literal(cst.parse_expression("-2.5")) == -2.5


def test_walk_skips_leaves_only_for_visitors_that_ignore_them():
    """walk() does not enter names and literals for a visitor without handlers for them, but one
    that has them sees every one, in source order."""
    import libcst as cst

    from fitlint.analysis.script import LEAF_TYPES, walk

    assert {cst.Name, cst.Integer, cst.SimpleString, cst.Float} <= LEAF_TYPES
    assert not {cst.Attribute, cst.Call, cst.Subscript, cst.Arg} & LEAF_TYPES

    class Names:
        def __init__(self):
            self.seen = []

        def visit_Name(self, node):
            self.seen.append(node.value)

        def visit_Integer(self, node):
            self.seen.append(node.value)

    class Calls:
        def __init__(self):
            self.seen = []

        def visit_Call(self, node):
            self.seen.append(cst.Module([]).code_for_node(node.func))

    module = cst.parse_module("y = f(a.b, 3)[0]\nfor i in g(h(x)): pass\n")
    names, calls = Names(), Calls()
    walk(module, names)
    walk(module, calls)
    assert names.seen == ["y", "f", "a", "b", "3", "0", "i", "g", "h", "x"]
    assert calls.seen == ["f", "g", "h"]


def test_no_rule_walks_the_whole_module(monkeypatch):
    """Rules ask the shared analysis, which has walked the module once (the collector): no rule
    walks the module again, with walk() or contains() (the module-level function's node is the
    module, so its body counts too). Every rule module's walks are watched while the end-to-end
    scripts, the clean corpus, the fix fixtures and every rule example are scanned (rules build
    their fixes as they report)."""
    import importlib
    import pkgutil

    import libcst as cst

    import fitlint.rules as package
    from fitlint.analysis import script as analysis
    from fitlint.config import Config
    from fitlint.engine import instantiate, scan_source
    from fitlint.rule import all_rules

    offenders: set[str] = set()
    watched = []
    for info in pkgutil.iter_modules(package.__path__):
        module = importlib.import_module(f"{package.__name__}.{info.name}")
        for helper in ("walk", "contains"):
            original = getattr(analysis, helper)
            if getattr(module, helper, None) is not original:
                continue

            def guarded(node, *args, rule=info.name, original=original, **kwargs):
                if isinstance(node, cst.Module):
                    offenders.add(rule)
                return original(node, *args, **kwargs)

            monkeypatch.setattr(module, helper, guarded)
            watched.append((info.name, guarded))
    sources = [path.read_text() for path in sorted((ROOT / "tests" / "scripts").glob("*.py"))]
    sources += [path.read_text() for path in sorted((ROOT / "tests" / "clean").glob("*.py"))]
    sources += [path.read_text() for path in sorted((ROOT / "tests" / "fixes").glob("*.in.py"))]
    sources += [example.code for rule in all_rules() for example in (*rule.VALID, *rule.INVALID)]
    config = Config(select=("ALL",))
    rules = instantiate(config)
    findings = sum(len(scan_source("example.py", source, rules, config).findings) for source in sources)
    assert findings > 100 and len(watched) > 5
    assert offenders == set()
    name, guard = watched[0]
    guard(cst.parse_module("x = 1\n"), object())  # the watch itself sees a module walk
    assert offenders == {name}
