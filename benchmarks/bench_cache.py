"""What does re-scanning an unchanged repository cost with the cache (fitlint.cache)?

    python benchmarks/bench_cache.py                 # the generated corpus of bench_scan.py
    python benchmarks/bench_cache.py PATH [PATH...]  # any folders (copied, so nothing of yours is written)
    python benchmarks/bench_cache.py --torch --limit 200

The goal (issue 18): a warm re-scan at most 0.1x the libcst parse of the same files. Both sides in
this process, on one core, in CPU seconds: "parse" is `libcst.parse_module` over the texts already
in memory; "warm" is `fitlint scan -j 1` over the files on disk with every entry in the cache
(read each file, hash it with the configuration, read its entry). Each round times parse then the
warm scan; the ratio is the median of the rounds' ratios. The cold scan (filling the cache) and a
scan without the cache are shown beside them, and the end-to-end command (`fitlint scan FOLDER`,
start-up included) warm and with `--no-cache`, as medians of a few runs.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst as cst

from bench_scan import generated_corpus, load, python_files, time_best
from fitlint.cache import Cache
from fitlint.config import Config
from fitlint.engine import scan_files
from fitlint.files import discover


def copy_tree(paths: list[Path], roots: list[Path], target: Path) -> None:
    for path in paths:
        root = next((root for root in roots if root in path.parents or root == path), path.parent)
        destination = target / path.relative_to(root if root.is_dir() else root.parent)
        destination.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(path, destination)


def command_seconds(args: list[str], cwd: Path, runs: int) -> tuple[float, float]:
    """Median wall and CPU seconds of running ``fitlint *args`` in ``cwd``."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}
    walls, cpus = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-m", "fitlint", *args], cwd=cwd, env=env, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--torch", action="store_true", help="the installed torch package")
    parser.add_argument("--copies", type=int, default=1, help="copies of the generated corpus")
    parser.add_argument("--limit", type=int, default=0, help="at most this many files")
    parser.add_argument("--repeat", type=int, default=7, help="rounds of parse + warm scan")
    parser.add_argument("--runs", type=int, default=3, help="runs of each end-to-end command")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "repo"
        folder.mkdir()
        if args.torch or args.paths:
            if args.torch:
                import importlib.util

                spec = importlib.util.find_spec("torch")
                if spec is None or spec.origin is None:
                    sys.exit("torch is not installed")
                roots = [Path(spec.origin).parent]
            else:
                roots = [path.resolve() for path in args.paths]
            paths = python_files(roots)
            paths = paths[: args.limit] if args.limit else paths
            copy_tree(paths, roots, folder)
            label = "installed torch package" if args.torch else ", ".join(map(str, args.paths))
        else:
            paths = generated_corpus(folder, args.copies)
            paths = paths[: args.limit] if args.limit else paths
            label = f"generated training scripts ({args.copies} cop{'y' if args.copies == 1 else 'ies'})"
        files = discover([str(folder)], suffixes=(".py", ".ipynb"))[0]
        texts = load([file.path for file in files])
        config = Config()
        cache = Cache(Path(tmp) / "cache")

        def parse_all() -> None:
            for _, text in texts:
                cst.parse_module(text)

        scan_files(files, config, jobs=1)  # the process's first scan fills libcst's and fitlint's own caches
        uncached = time_best(lambda: scan_files(files, config, jobs=1), 1)
        cold = time_best(lambda: scan_files(files, config, jobs=1, cache=cache), 1)
        rounds = [(time_best(parse_all, 1), time_best(lambda: scan_files(files, config, jobs=1, cache=Cache(cache.folder)), 1))
                  for _ in range(args.repeat)]
        entries = sum(1 for _ in cache.folder.rglob("*.json"))
        lines = sum(text.count("\n") for _, text in texts)
        parse_s = min(parse for parse, _ in rounds)
        warm_s = min(warm for _, warm in rounds)
        ratio = statistics.median(warm / parse for parse, warm in rounds)
        print(f"corpus: {label}: {len(files)} files, {lines} lines, {entries} cache entries")
        print(f"libcst parse:           {parse_s:8.3f} s (CPU, best of {args.repeat})")
        print(f"scan without the cache: {uncached:8.3f} s")
        print(f"cold scan (fills it):   {cold:8.3f} s")
        print(f"warm scan:              {warm_s:8.3f} s (CPU, best of {args.repeat})")
        print(f"ratio warm / parse:     {ratio:8.3f}x (median of {args.repeat} rounds; goal: <= 0.1x)")
        if args.runs:
            command_seconds(["scan", ".", "-j", "1"], folder, 1)  # fills the folder's own cache
            warm_wall, warm_cpu = command_seconds(["scan", ".", "-j", "1"], folder, args.runs)
            none_wall, none_cpu = command_seconds(["scan", ".", "-j", "1", "--no-cache"], folder, args.runs)
            print(f"end to end, `fitlint scan . -j 1` (median of {args.runs} runs, start-up included): "
                  f"warm {warm_wall:.2f} s wall / {warm_cpu:.2f} s CPU; --no-cache {none_wall:.2f} s / {none_cpu:.2f} s")


if __name__ == "__main__":
    main()
