"""Benchmark of fitlint's log readers (not a test; run it by hand).

    python benchmarks/bench_logs.py [--rows 1000000] [--scalars 100000] [--repeat 3]

Writes, in a temporary folder, a metrics CSV of ``--rows`` rows (one per training step: epoch,
step, loss, accuracy, val_loss, val_accuracy, lr) and a TensorBoard event file of ``--scalars``
scalars (four tags; written with tensorboard's own writer when it is installed, else with the
same TFRecord encoding by hand). Each reader runs in a fresh subprocess, ``--repeat`` times; the
table gives the best wall time, the peak resident memory of the process and how far that peak
rose above the process's size once its imports were done (0: the work never went above it). Compared: ``pandas.read_csv`` alone, fitlint's CSV reader (read and tidy),
``fitlint.logs.analyze`` (read, tidy, all checks), fitlint's TensorBoard reader and
``tbparse.SummaryReader`` (when installed; ``pip install tbparse tensorboard``).
"""

from __future__ import annotations

import argparse
import json
import struct
import subprocess
import sys
import tempfile
from pathlib import Path

CASES = {
    "pandas.read_csv (CSV, alone)": (
        "csv", "import pandas as pd", "frame = pd.read_csv(PATH); n = len(frame)"),
    "fitlint CSV reader (read + tidy)": (
        "csv", "from fitlint.logs.readers.csv_log import Reader; from fitlint.logs.tidy import tidy; from pathlib import Path",
        "p = Reader().read([Path(PATH)])[0]; frame, _ = tidy(p.records, run='r', source='csv', has_epochs=True); n = len(frame)"),
    "fitlint.logs.analyze (CSV, all checks)": (
        "csv", "import fitlint.logs as logs", "r = logs.analyze([PATH]); n = len(r.runs[0].frame)"),
    "fitlint TensorBoard reader": (
        "tb", "from fitlint.logs.readers.tensorboard import Reader; from pathlib import Path; import glob",
        "p = Reader().read([Path(f) for f in glob.glob(PATH + '/events.out.tfevents.*')])[0]; n = len(p.records)"),
    "fitlint.logs.analyze (TensorBoard, all checks)": (
        "tb", "import fitlint.logs as logs", "r = logs.analyze([PATH]); n = len(r.runs[0].frame)"),
    "tbparse.SummaryReader (TensorBoard)": (
        "tb", "from tbparse import SummaryReader", "frame = SummaryReader(PATH).scalars; n = len(frame)"),
}

RUNNER = r"""
import resource, sys, time, json
PATH = sys.argv[1]
{setup}
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
{work}
elapsed = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({{"seconds": elapsed, "peak_mib": peak / 1024, "growth_mib": (peak - base) / 1024, "rows": int(n)}}))
"""


def write_csv(path: Path, rows: int) -> None:
    import numpy as np
    import pandas as pd

    steps_per_epoch = 1000
    step = np.arange(rows)
    epoch = step // steps_per_epoch
    rng = np.random.default_rng(0)
    frame = pd.DataFrame({
        "epoch": epoch, "step": step,
        "loss": 2.3 * np.exp(-step / rows * 5) + rng.normal(0, 0.02, rows),
        "accuracy": np.clip(1 - np.exp(-step / rows * 5) + rng.normal(0, 0.01, rows), 0, 1),
        "val_loss": 2.3 * np.exp(-epoch * steps_per_epoch / rows * 4),
        "val_accuracy": np.clip(1 - 0.9 * np.exp(-epoch * steps_per_epoch / rows * 4), 0, 1),
        "lr": 0.1 * 0.5 ** (epoch // 100),
    })
    frame.to_csv(path, index=False)


def _masked_crc(data: bytes) -> int:
    from fitlint.logs.readers.tfevents import masked_crc

    return masked_crc(data)


def write_tfevents(folder: Path, scalars: int) -> str:
    tags = ["train/loss", "train/accuracy", "val/loss", "val/accuracy"]
    per_tag = scalars // len(tags)
    try:
        from tensorboard.summary.writer.event_file_writer import EventFileWriter
        from tensorboard.compat.proto import event_pb2, summary_pb2

        writer = EventFileWriter(str(folder))
        for step in range(per_tag):
            for i, tag in enumerate(tags):
                value = summary_pb2.Summary.Value(tag=tag, simple_value=1.0 / (step + 1 + i))
                writer.add_event(event_pb2.Event(wall_time=1.0, step=step, summary=summary_pb2.Summary(value=[value])))
        writer.close()
        return "tensorboard EventFileWriter"
    except ImportError:
        out = bytearray()
        for step in range(per_tag):
            for i, tag in enumerate(tags):
                value = b"\x0a" + bytes([len(tag)]) + tag.encode() + b"\x15" + struct.pack("<f", 1.0 / (step + 1 + i))
                summary = b"\x0a" + bytes([len(value)]) + value
                varint = bytearray()
                s = step
                while True:
                    byte, s = s & 0x7F, s >> 7
                    varint.append(byte | (0x80 if s else 0))
                    if not s:
                        break
                event = b"\x09" + struct.pack("<d", 1.0) + b"\x10" + bytes(varint) + b"\x2a" + bytes([len(summary)]) + summary
                header = struct.pack("<Q", len(event))
                out += header + struct.pack("<I", _masked_crc(header)) + event + struct.pack("<I", _masked_crc(event))
        (folder / "events.out.tfevents.0.bench").write_bytes(bytes(out))
        return "hand encoder (tensorboard not installed)"


def measure(setup: str, work: str, path: str, repeat: int) -> dict | str:
    best = None
    for _ in range(repeat):
        proc = subprocess.run([sys.executable, "-c", RUNNER.format(setup=setup, work=work), path],
                              capture_output=True, text=True)
        if proc.returncode != 0:
            last = (proc.stderr.strip().splitlines() or ["failed"])[-1]
            return f"not run: {last[:70]}"
        result = json.loads(proc.stdout.strip().splitlines()[-1])
        if best is None or result["seconds"] < best["seconds"]:
            best = result
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--scalars", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        csv_dir, tb_dir = tmp / "csv_run", tmp / "tb_run"
        csv_dir.mkdir()
        tb_dir.mkdir()
        write_csv(csv_dir / "metrics.csv", args.rows)
        how = write_tfevents(tb_dir, args.scalars)
        paths = {"csv": str(csv_dir / "metrics.csv"), "tb": str(tb_dir)}
        print(f"CSV: {args.rows:,} rows x 7 columns, {(csv_dir / 'metrics.csv').stat().st_size / 2**20:.1f} MiB; "
              f"TensorBoard: {args.scalars:,} scalars written by {how}, "
              f"{sum(f.stat().st_size for f in tb_dir.iterdir()) / 2**20:.1f} MiB; best of {args.repeat}")
        print(f"{'reader':<48} {'time (s)':>9} {'peak RSS (MiB)':>15} {'above imports':>14} {'rows out':>10}")
        for label, (kind, setup, work) in CASES.items():
            result = measure(setup, work, paths[kind], args.repeat)
            if isinstance(result, str):
                print(f"{label:<48} {result}")
            else:
                print(f"{label:<48} {result['seconds']:>9.2f} {result['peak_mib']:>15.0f} "
                      f"{result['growth_mib']:>14.0f} {result['rows']:>10,}")


if __name__ == "__main__":
    main()
