"""Does `fitlint scan --jobs 2` scale? Wall time of `--jobs 2` against `--jobs 1` on a folder.

    python benchmarks/bench_parallel.py                  # the generated corpus of bench_scan.py
    python benchmarks/bench_parallel.py PATH --rounds 9  # any folder (read only)

The goal (issue 18): on 2 cores, `--jobs 2` at most 0.6x the wall time of `--jobs 1` on a folder
of 300 files or more, everything included: start-up, starting the workers, sending the files out
and the results back. Both run end to end as a user runs them (`fitlint scan FOLDER --no-cache
--jobs N`), alternating, after a warm-up run of each; the ratio is the median of the rounds'
ratios. On a machine shared with other work the second core is not always free: the load average
is printed with the result.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench_scan import generated_corpus


def wall(command: list[str], cwd: Path, env: dict[str, str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("path", nargs="?", type=Path)
    parser.add_argument("--copies", type=int, default=1, help="copies of the generated corpus")
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--python", default=sys.executable, help="the interpreter whose fitlint runs (before/after)")
    parser.add_argument("--scan-args", default="--no-cache", help="extra arguments of the scan")
    args = parser.parse_args()
    env = {key: value for key, value in os.environ.items() if key != "PYTHONDONTWRITEBYTECODE"}

    with tempfile.TemporaryDirectory() as tmp:
        if args.path is not None:
            folder = args.path.resolve()
            files = len([*folder.rglob("*.py"), *folder.rglob("*.ipynb")])
        else:
            folder = Path(tmp)
            files = len(generated_corpus(folder, args.copies))
        base = [args.python, "-m", "fitlint", "scan", ".", "--format", "json", *args.scan_args.split()]
        commands = {1: [*base, "--jobs", "1"], args.jobs: [*base, "--jobs", str(args.jobs)]}
        for command in commands.values():
            wall(command, folder, env)
        times: dict[int, list[float]] = {jobs: [] for jobs in commands}
        for _ in range(args.rounds):
            for jobs, command in commands.items():
                times[jobs].append(wall(command, folder, env))
    ratios = [many / one for one, many in zip(times[1], times[args.jobs])]
    print(f"{files} files; {os.cpu_count()} CPUs; load average {os.getloadavg()[0]:.1f}; {args.rounds} rounds")
    for jobs, values in times.items():
        print(f"--jobs {jobs}: {statistics.median(values):6.2f} s wall (median; {min(values):.2f}-{max(values):.2f})")
    print(f"ratio --jobs {args.jobs} / --jobs 1: {statistics.median(ratios):.2f}x "
          f"(median of the rounds' ratios, {min(ratios):.2f}-{max(ratios):.2f}; goal: <= 0.6x on 2 cores)")


if __name__ == "__main__":
    main()
