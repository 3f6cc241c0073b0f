"""How long does the analysis of a growing script take? (No file may stall a scan.)

    python benchmarks/bench_growth.py                       # every shape, 3 10 50 200 blocks
    python benchmarks/bench_growth.py --sizes 3 4 --timeout 120 reassigned_blocks

The shapes are tests/test_growth.py's (the issue's reproduction first: a model reassigned with
`model = model.train()` / `model = model.eval()` around blocks of training and evaluation, then
notebooks, helpers calling each other, reassigned attributes, nested model classes, arrays built
from each other). Each (shape, size) is scanned with every rule in a fresh process, no budget
(`file_timeout=0`), and timed in CPU seconds (best of --repeat); a run that does not finish within
--timeout seconds is shown as such. tests/test_growth.py checks the growth by counting calls, not
time; this shows what a user waits.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import sys, time
from dataclasses import replace
sys.path.insert(0, {tests!r})
from test_growth import CASES
from fitlint.config import Config
from fitlint.engine import instantiate, scan_source
make, display, _ = CASES[{name!r}]
source = make({size})
config = Config(select=("ALL",))
if hasattr(config, "file_timeout"):
    config = replace(config, file_timeout=0)
rules = instantiate(config, display)
best = None
for _ in range({repeat}):
    start = time.process_time()
    result = scan_source(display, source, rules, config)
    spent = time.process_time() - start
    best = spent if best is None else min(best, spent)
print(best, len(source.encode()) // 1024, len(result.findings))
"""


def measure(name: str, size: int, repeat: int, timeout: float) -> str:
    code = CHILD.format(tests=str(ROOT / "tests"), name=name, size=size, repeat=repeat)
    try:
        done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"> {timeout:g} s"
    if done.returncode != 0:
        return "error: " + (done.stderr.strip().splitlines() or ["?"])[-1]
    seconds, kilobytes, findings = done.stdout.split()
    return f"{float(seconds):.3f} s ({kilobytes} KB)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("names", nargs="*", help="shapes to run (default: all)")
    parser.add_argument("--sizes", type=int, nargs="+", default=[3, 10, 50, 200])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT / "tests"))
    from test_growth import CASES

    names = args.names or list(CASES)
    print(f"CPU seconds to scan one file with every rule (best of {args.repeat}); sizes {args.sizes}")
    for name in names:
        cells = []
        for size in args.sizes:
            cell = measure(name, size, args.repeat, args.timeout)
            cells.append(f"{size}: {cell}")
            if cell.startswith(">"):
                break  # larger sizes only take longer
        print(f"{name:36} " + " | ".join(cells), flush=True)


if __name__ == "__main__":
    main()
