"""How long does a one-file `fitlint scan` take, end to end, next to `python -c "import libcst"`?

    python benchmarks/bench_startup.py                      # examples/train_seed.py, 20 rounds
    python benchmarks/bench_startup.py FILE --rounds 40
    python benchmarks/bench_startup.py --command /other/venv/bin/fitlint   # another install (before/after)

pre-commit runs `fitlint scan` on the files of every commit, usually one or a few, so what a user
waits for is mostly start-up: the interpreter, the imports, the configuration, then one file. The
goal (issue 18): at most 1.5x the time of `python -c "import libcst"` with the same interpreter.
Like hyperfine, each round runs both commands once (alternating, after warm-up runs that also write
the bytecode caches), and the report gives the median and the spread over the rounds: wall time and
CPU time (user + system of the child process, steadier on a shared machine). The scanned file is a
changed file, as in a commit: a copy in a temporary folder whose last line changes before each run,
so the scan misses the cache, scans, and writes its entry (`--scan-args --no-cache` to leave the
cache out). PYTHONDONTWRITEBYTECODE is removed from the children's environment: an install compiles its modules
once, and without their bytecode every run would compile fitlint again.
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def run(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one run of ``command``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def fitlint_command(given: str | None) -> list[str]:
    if given:
        return [given]
    script = Path(sys.executable).with_name("fitlint")
    return [str(script)] if script.exists() else [sys.executable, "-m", "fitlint"]


def spread(values: list[float]) -> str:
    quartiles = statistics.quantiles(values, n=4)
    return f"{quartiles[0]:.3f}-{quartiles[2]:.3f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("file", nargs="?", default=str(ROOT / "examples" / "train_seed.py"))
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--command", help="the fitlint executable to time (default: this interpreter's)")
    parser.add_argument("--scan-args", default="", help="extra arguments of the scan")
    args = parser.parse_args()

    env = {key: value for key, value in os.environ.items() if not key.startswith(("PYTHONDONTWRITEBYTECODE", "FITLINT_"))}
    env["NO_COLOR"] = "1"
    with tempfile.TemporaryDirectory() as folder:
        original = Path(args.file).read_text(encoding="utf-8")
        file = Path(folder) / Path(args.file).name
        runs = iter(range(10**9))

        def changed() -> None:
            file.write_text(f"{original}# run {next(runs)}\n", encoding="utf-8")

        baseline = [sys.executable, "-c", "import libcst"]
        scan = [*fitlint_command(args.command), "scan", file.name, *args.scan_args.split()]
        commands = {"python -c 'import libcst'": baseline, "fitlint scan " + file.name: scan}
        for _ in range(args.warmup):
            changed()
            for command in commands.values():
                run(command, env, file.parent)
        walls: dict[str, list[float]] = {name: [] for name in commands}
        cpus: dict[str, list[float]] = {name: [] for name in commands}
        ratios_wall, ratios_cpu = [], []
        for _ in range(args.rounds):
            changed()
            times = {name: run(command, env, file.parent) for name, command in commands.items()}
            for name, (wall, cpu) in times.items():
                walls[name].append(wall)
                cpus[name].append(cpu)
            (base_wall, base_cpu), (scan_wall, scan_cpu) = times.values()
            ratios_wall.append(scan_wall / base_wall)
            ratios_cpu.append(scan_cpu / base_cpu)

    print(f"{args.rounds} rounds after {args.warmup} warm-up runs; {os.cpu_count()} CPUs; "
          f"load average {os.getloadavg()[0]:.1f}; scan command: {' '.join(scan)}")
    print(f"{'command':32} {'wall median':>11} {'(IQR)':>13} {'CPU median':>11} {'(IQR)':>13}")
    for name in commands:
        print(f"{name:32} {statistics.median(walls[name]):10.3f}s {spread(walls[name]):>13} "
              f"{statistics.median(cpus[name]):10.3f}s {spread(cpus[name]):>13}")
    print(f"{'ratio scan / import libcst':32} {statistics.median(ratios_wall):10.2f}x {spread(ratios_wall):>13} "
          f"{statistics.median(ratios_cpu):10.2f}x {spread(ratios_cpu):>13}")


if __name__ == "__main__":
    main()
