"""How much does `fitlint scan` cost compared with just parsing the same files with libcst?

    python benchmarks/bench_scan.py                 # a generated corpus of training scripts
    python benchmarks/bench_scan.py PATH [PATH...]  # any folders, e.g. the installed torch package
    python benchmarks/bench_scan.py --torch         # the installed torch package's Python files

Both sides run on one core in this process, over the same files already read into memory:
"parse" is `libcst.parse_module` alone; "scan" is everything `fitlint scan -j 1` does per file
(prefilter, parse, shared analysis, the rules, positions and suppressions where there are
findings). The rules are the default selection, as `fitlint scan` runs them; `--all` adds those off
by default. The goal is scan <= 2x parse. Each round times parse then scan in CPU seconds; the
ratio reported is the median of the rounds' ratios (robust on a shared, noisy machine), and the
best time of each side is printed beside it.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst

from fitlint.config import Config
from fitlint.engine import instantiate, scan_source
from fitlint.rule import all_rules

ROOT = Path(__file__).resolve().parent.parent


def generated_corpus(folder: Path, copies: int) -> list[Path]:
    """Realistic training scripts: the repository's end-to-end scripts and every rule example,
    each written ``copies`` times with a distinct name so nothing is cached across files."""
    sources = [path.read_text(encoding="utf-8") for path in sorted((ROOT / "tests" / "scripts").glob("*.py"))]
    sources += [path.read_text(encoding="utf-8") for path in sorted((ROOT / "examples").glob("*.py"))]
    for rule in all_rules():
        if rule.code != "FIT000":
            sources += [example.code for example in (*rule.VALID, *rule.INVALID)]
    paths = []
    for copy in range(copies):
        for index, source in enumerate(sources):
            path = folder / f"script_{copy:03d}_{index:04d}.py"
            path.write_text(f"# copy {copy}\n{source}", encoding="utf-8")
            paths.append(path)
    return paths


def python_files(roots: list[Path]) -> list[Path]:
    out = []
    for root in roots:
        out += [root] if root.is_file() else sorted(root.rglob("*.py"))
    return out


def load(paths: list[Path]) -> list[tuple[str, str]]:
    texts = []
    for path in paths:
        try:
            text = path.read_text(encoding="utf-8")
            cst.parse_module(text)
        except Exception:  # the benchmark compares files both sides can handle
            continue
        texts.append((str(path), text))
    return texts


def time_best(function, repeat: int) -> float:
    """Best CPU time of this process over ``repeat`` runs: steadier than wall time on a shared
    machine, and the scan is single-threaded here, so the two agree on an idle one."""
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        function()
        best = min(best, time.process_time() - start)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--torch", action="store_true", help="scan the installed torch package")
    parser.add_argument("--copies", type=int, default=5, help="copies of the generated corpus")
    parser.add_argument("--repeat", type=int, default=7, help="rounds of parse + scan")
    parser.add_argument("--limit", type=int, default=0, help="at most this many files")
    parser.add_argument("--all", action="store_true", help="every rule, including those off by default")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        if args.torch:
            import importlib.util

            spec = importlib.util.find_spec("torch")
            if spec is None or spec.origin is None:
                sys.exit("torch is not installed")
            paths = python_files([Path(spec.origin).parent])
            label = "installed torch package"
        elif args.paths:
            paths = python_files(args.paths)
            label = ", ".join(map(str, args.paths))
        else:
            paths = generated_corpus(Path(tmp), args.copies)
            label = f"generated training scripts ({args.copies} copies)"
        if args.limit:
            paths = paths[: args.limit]
        texts = load(paths)

    config = Config(select=("ALL",)) if args.all else Config()
    rules = instantiate(config)
    lines = sum(text.count("\n") for _, text in texts)

    def parse_all() -> None:
        for _, text in texts:
            cst.parse_module(text)

    findings = 0

    def scan_all() -> None:
        nonlocal findings
        findings = 0
        for path, text in texts:
            findings += len(scan_source(path, text, rules, config).findings)

    # Each round times the two back to back, so both meet the same state of a shared machine; the
    # ratio is the median of the rounds' ratios, which one slow spell cannot move.
    rounds = [(time_best(parse_all, 1), time_best(scan_all, 1)) for _ in range(args.repeat)]
    parse_s = min(parse for parse, _ in rounds)
    scan_s = min(scan for _, scan in rounds)
    ratio = statistics.median(scan / parse for parse, scan in rounds)
    print(f"corpus: {label}: {len(texts)} files, {lines} lines; {len(rules)} rules, {findings} findings")
    print(f"libcst parse: {parse_s:8.3f} s (CPU, best of {args.repeat})")
    print(f"fitlint scan: {scan_s:8.3f} s (CPU, best of {args.repeat})")
    print(f"ratio:        {ratio:8.2f}x the parse (median of {args.repeat} rounds; goal: <= 2x)")


if __name__ == "__main__":
    main()
