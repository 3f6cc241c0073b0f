"""Plumbing shared by the reference training scripts: arguments, seeding, synthetic data, curve files.

Everything fitlint has to see (the split, the loaders, the model, the optimizer, the scheduler, the
train and evaluation loops: the planted mistake and its fix) is written out in each script. This module
only does what a real script would get from elsewhere: its data (here generated, like a dataset stored
on disk sorted by label), and the np.savetxt / CSV / meta.json files a script leaves behind.

Arguments (argv, with environment defaults so a harness can set them once):
  OUTDIR               where the curves go
  --size cpu|gpu       REF_SIZE (default cpu): each script's SIZES table picks data size, width, epochs
  --device DEVICE      REF_DEVICE (default: cuda when available, else cpu)
  --seed N             REF_SEED (default 0): seeds the training (the data have their own fixed seed)
  REF_THREADS          torch threads (default 1: runs are deterministic and can run side by side)
"""

from __future__ import annotations

import argparse
import csv
import json
import math
import os
from pathlib import Path

import numpy as np
import torch

DATA_SEED = 1234


def parse_args(description: str = "") -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("outdir")
    parser.add_argument("--size", choices=("cpu", "gpu"), default=os.environ.get("REF_SIZE", "cpu"))
    parser.add_argument("--device", default=os.environ.get("REF_DEVICE") or ("cuda" if torch.cuda.is_available() else "cpu"))
    parser.add_argument("--seed", type=int, default=int(os.environ.get("REF_SEED", "0")))
    args = parser.parse_args()
    Path(args.outdir).mkdir(parents=True, exist_ok=True)
    return args


def seed_everything(seed: int) -> None:
    """Fixed seeds, deterministic kernels, a fixed number of CPU threads."""
    os.environ.setdefault("CUBLAS_WORKSPACE_CONFIG", ":4096:8")  # deterministic cuBLAS
    np.random.seed(seed)
    torch.manual_seed(seed)
    # Strict on the CPU; on CUDA a kernel without a deterministic version warns instead of failing.
    torch.use_deterministic_algorithms(True, warn_only=torch.cuda.is_available())
    torch.set_num_threads(int(os.environ.get("REF_THREADS", "1")))


def _sort_by_label(x: torch.Tensor, y: torch.Tensor):
    order = torch.argsort(y, stable=True)
    return x[order], y[order]


def load_clusters(n: int, num_classes: int = 10, dim: int = 64, spread: float = 1.0, seed: int = DATA_SEED):
    """A learnable classification task: Gaussian clusters, one per class, in `dim` dimensions.

    Returns float32 features (roughly zero mean, unit variance: already normalized) and int64 labels,
    stored sorted by label, the way many datasets sit on disk (one class after another). `spread` is
    the distance between class centres relative to the noise: smaller is harder.
    """
    g = torch.Generator().manual_seed(seed)
    centers = torch.randn(num_classes, dim, generator=g) * spread
    y = torch.arange(n) % num_classes
    x = centers[y] + torch.randn(n, dim, generator=g)
    x = (x - x.mean(0)) / x.std(0)
    return _sort_by_label(x.float(), y.long())


def load_binary(n: int = 1440, dim: int = 64, spread: float = 1.0, seed: int = DATA_SEED):
    """The seed's binary task: 1,440 samples (80/20 split: 1,152 / 288), two classes, sorted by label."""
    return load_clusters(n, num_classes=2, dim=dim, spread=spread, seed=seed)


def load_pixels(n: int, num_classes: int = 10, side: int = 8, seed: int = DATA_SEED) -> tuple[np.ndarray, np.ndarray]:
    """Procedurally drawn grey-level images as stored on disk: a uint8 array (n, side, side) in 0..255
    and int64 labels, sorted by label. Each class is a blurred template (random strokes) plus noise."""
    g = torch.Generator().manual_seed(seed)
    templates = (torch.rand(num_classes, 1, side, side, generator=g) > 0.6).float()
    templates = torch.nn.functional.avg_pool2d(torch.nn.functional.pad(templates, (1, 1, 1, 1), mode="replicate"), 3, 1)
    y = torch.arange(n) % num_classes
    img = templates[y, 0] * 160 + 40 + torch.randn(n, side, side, generator=g) * 45
    img = img.clamp(0, 255).round().to(torch.uint8)
    img, y = _sort_by_label(img, y)
    return img.numpy(), y.numpy()


class Curves:
    """Per-epoch curves written the way users keep them: the seed's np.savetxt files
    (result_of_{train,test}_{acc,loss}.txt, accuracy in percent, rewritten every epoch),
    a Keras-style CSV (training.log.csv: accuracy as a fraction) and meta.json (classes, split sizes)."""

    def __init__(self, outdir: str, num_classes: int, n_train: int, n_val: int, epochs: int, **settings):
        self.outdir = Path(outdir)
        self.rows: list[dict] = []
        meta = {"num_classes": num_classes, "n_train": n_train, "n_val": n_val, "epochs": epochs,
                "settings": settings}
        (self.outdir / "meta.json").write_text(json.dumps(meta, indent=1))

    def add(self, epoch: int, train_acc: float, train_loss: float, val_acc: float, val_loss: float, lr: float) -> None:
        """Accuracies in percent, as the seed's script records them."""
        self.rows.append({"epoch": epoch, "train_acc": train_acc, "train_loss": train_loss, "val_acc": val_acc,
                          "val_loss": val_loss, "lr": lr})
        for key, name in (("train_acc", "train_acc"), ("train_loss", "train_loss"), ("val_acc", "test_acc"),
                          ("val_loss", "test_loss")):
            np.savetxt(self.outdir / f"result_of_{name}.txt", [r[key] for r in self.rows], fmt="%f")
        with open(self.outdir / "training.log.csv", "w", newline="") as f:
            w = csv.writer(f)
            w.writerow(["epoch", "accuracy", "loss", "val_accuracy", "val_loss", "lr"])
            for r in self.rows:
                w.writerow([r["epoch"], f"{r['train_acc'] / 100:.6f}", _num(r["train_loss"]),
                            f"{r['val_acc'] / 100:.6f}", _num(r["val_loss"]), f"{r['lr']:.6g}"])
        print(f"epoch {epoch:3d}  train {train_acc:6.2f}% loss {_num(train_loss)}  "
              f"val {val_acc:6.2f}% loss {_num(val_loss)}  lr {lr:.3g}", flush=True)


def _num(v: float) -> str:
    return "nan" if math.isnan(v) else ("inf" if math.isinf(v) else f"{v:.6f}")
