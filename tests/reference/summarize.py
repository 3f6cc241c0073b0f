"""Print the RESULTS.md tables for a set of reference runs kept with REF_KEEP.

    REF_KEEP=/tmp/ref python -m pytest -m reference tests/reference
    python tests/reference/summarize.py /tmp/ref/cpu

One row per run: final epoch's accuracies (percent) and losses from its np.savetxt files, the codes
`fitlint logs` reports (info in brackets), and the script's wall and CPU seconds from timings.json.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import numpy as np


def final(path: Path) -> float:
    values = np.atleast_1d(np.loadtxt(path))
    return float(values[-1])


def main(root: str) -> None:
    root_path = Path(root)
    runs = root_path / "runs"
    timings = json.loads((root_path / "timings.json").read_text())
    done = subprocess.run([sys.executable, "-m", "fitlint", "logs", "--format", "json", "--quiet", "--exit-zero", str(runs)],
                          capture_output=True, text=True, check=True)
    codes: dict[str, list[str]] = {}
    for f in json.loads(done.stdout):
        code = f["code"] if f["severity"] != "info" else f"({f['code']})"
        codes.setdefault(Path(f["path"]).name, []).append(code)
    print(f"size {timings['size']}, {timings['jobs']} scripts side by side, all scripts: "
          f"{timings['wall_seconds_all_scripts']} s wall, "
          f"{sum(s['cpu'] for s in timings['scripts'].values()):.0f} s CPU\n")
    print("| run | epochs | train acc | val acc | train loss | val loss | fitlint logs | wall s | CPU s |")
    print("|---|---|---|---|---|---|---|---|---|")
    for run in sorted(p for p in runs.iterdir() if p.is_dir()):
        n = len(np.atleast_1d(np.loadtxt(run / "result_of_train_acc.txt")))
        cells = [f"{final(run / f'result_of_{s}.txt'):.4g}" for s in ("train_acc", "test_acc", "train_loss", "test_loss")]
        t = timings["scripts"].get(run.name, {})
        print(f"| {run.name} | {n} | " + " | ".join(cells) + f" | {' '.join(codes.get(run.name, [])) or '-'} | "
              f"{t.get('wall', '?')} | {t.get('cpu', '?')} |")


if __name__ == "__main__":
    main(sys.argv[1])
