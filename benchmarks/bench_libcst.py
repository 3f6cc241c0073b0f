"""What libcst's own traversal and metadata providers cost, relative to parsing the same files.

    python benchmarks/bench_libcst.py                 # the generated corpus of bench_scan.py
    python benchmarks/bench_libcst.py PATH [PATH...]  # any folders

These figures are why fitlint builds its shared analysis in one plain traversal of its own
(fitlint.analysis.script) and computes positions itself, only for files with findings
(fitlint.positions), instead of asking libcst's providers. Each pass runs over trees already
parsed (the parse is timed on its own), in CPU seconds on one core; each round times the parse and
every pass back to back, and a ratio is the median of the rounds' ratios. The figures are in
docs/speed.md.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
from pathlib import Path

import libcst as cst
from libcst.metadata import (
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    QualifiedNameProvider,
    ScopeProvider,
)

from bench_scan import generated_corpus, load, python_files, time_best

PROVIDERS = {
    "PositionProvider": PositionProvider,
    "ParentNodeProvider": ParentNodeProvider,
    "ScopeProvider": ScopeProvider,
    "QualifiedNameProvider (with the scopes it needs)": QualifiedNameProvider,
}


def passes(modules: list[cst.Module]) -> dict[str, object]:
    """Each pass over every module, by name."""

    def visit_all() -> None:
        for module in modules:
            module.visit(cst.CSTVisitor())

    def provider(kind: type) -> object:
        def resolve_all() -> None:
            for module in modules:
                MetadataWrapper(module, unsafe_skip_copy=True).resolve(kind)

        return resolve_all

    return {"a plain CSTVisitor pass": visit_all, **{name: provider(kind) for name, kind in PROVIDERS.items()}}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--copies", type=int, default=1, help="copies of the generated corpus")
    parser.add_argument("--repeat", type=int, default=5, help="rounds")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        paths = python_files(args.paths) if args.paths else generated_corpus(Path(tmp), args.copies)
        texts = [text for _, text in load(paths)]
    modules = [cst.parse_module(text) for text in texts]
    lines = sum(text.count("\n") for text in texts)

    def parse_all() -> None:
        for text in texts:
            cst.parse_module(text)

    named = passes(modules)
    rounds = []
    for _ in range(args.repeat):
        parse = time_best(parse_all, 1)
        rounds.append((parse, {name: time_best(run, 1) for name, run in named.items()}))
    print(f"corpus: {len(texts)} files, {lines} lines; parse {min(p for p, _ in rounds):.3f} s "
          f"(CPU, best of {args.repeat})")
    print(f"{'pass':<50} {'x the parse':>11}")
    for name in named:
        ratio = statistics.median(times[name] / parse for parse, times in rounds)
        print(f"{name:<50} {ratio:>10.1f}x")


if __name__ == "__main__":
    main()
