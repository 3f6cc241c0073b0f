"""Write training logs with the real libraries, on scikit-learn's digits, with planted conditions.

The logs under this folder are fixtures for ``fitlint logs``: what Lightning, the Hugging Face
Trainer, Keras, ``torch.utils.tensorboard``, MLflow, ``np.savetxt`` and printed epoch lines really
leave on disk. This script is not part of fitlint and never runs in its tests: it runs in its own
virtual environment (``requirements.txt`` beside it, see ``README.md``), on the CPU, and rewrites
every log and ``manifest.json``.

    python tests/logs/real/generate.py                 # everything
    python tests/logs/real/generate.py --only keras --conditions healthy,lr_high

Each (library, condition) is trained in its own subprocess (a fresh interpreter: Keras' backend,
seeds and captured stdout do not leak between runs); Keras trains twice, for verbose=1 and
verbose=2. Everything is seeded: the logged values are the same on every regeneration with the
same library versions; wall-clock times and timestamps are not.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
SEED = 0
NUM_CLASSES = 10
VAL_FRAC = 0.2
EVAL_BATCH = 100  # the seed's batchsize_test: a test bar whose totals differ from the training bar's


@dataclass(frozen=True)
class Condition:
    """One planted condition: the data, the model and the optimizer every library gets."""

    name: str
    what: str
    hidden: tuple[int, ...] = (128,)
    optimizer: str = "adam"  # "adam" or "sgd" (plain, no momentum)
    lr: float = 3e-3
    epochs: int = 30
    batch: int = 128
    permute_train_labels: bool = False
    sorted_split: bool = False
    train_frac: float = 1.0
    nan_inputs: bool = False


CONDITIONS = {c.name: c for c in (
    Condition("healthy", "nothing planted: Adam 3e-3, one hidden layer of 128"),
    Condition("shuffled_labels", "training labels permuted apart from their inputs (validation labels intact); "
              "two hidden layers of 1024 memorize them", hidden=(1024, 1024), lr=2e-3, epochs=40,
              permute_train_labels=True),
    Condition("sorted_split", "data sorted by label and the last 20% cut off as validation without shuffling: "
              "validation holds 6 sevens and every 8 and 9, which training never saw", sorted_split=True),
    Condition("lr_high", "SGD with a learning rate of 50: the loss explodes in epoch 0, then the ReLUs are dead "
              "and the loss stays far above ln 10 with accuracy at chance", optimizer="sgd", lr=50.0),
    Condition("nan_loss", "inputs standardized per pixel with the training set's mean and std; the pixels that "
              "are blank in every image have std 0, so 0/0 puts NaN in every input: the loss is NaN from the "
              "first step", nan_inputs=True),
    Condition("tiny_train", "3% of the training split (43 samples) for two hidden layers of 512, no "
              "regularization: training reaches 100%, validation stays far below", hidden=(512, 512), lr=1e-3,
              epochs=40, batch=16, train_frac=0.03),
    Condition("lr_zero", "SGD with a learning rate of exactly 0: the weights never change", optimizer="sgd",
              lr=0.0, epochs=20),
)}


# ---------------------------------------------------------------- data


def digits(condition: Condition):
    """(x_train, y_train, x_val, y_val) as float32 / int64 numpy arrays, pixels scaled to [0, 1]."""
    import numpy as np
    from sklearn.datasets import load_digits

    data = load_digits()
    x, y = (data.data / 16.0).astype("float32"), data.target.astype("int64")
    n_train = int(len(y) * (1 - VAL_FRAC))  # 1437 train, 360 validation
    rng = np.random.default_rng(SEED)
    order = np.argsort(y, kind="stable") if condition.sorted_split else rng.permutation(len(y))
    x, y = x[order], y[order]
    x_train, y_train, x_val, y_val = x[:n_train], y[:n_train], x[n_train:], y[n_train:]
    if condition.permute_train_labels:
        y_train = y_train[np.random.default_rng(SEED + 1).permutation(len(y_train))]
    if condition.nan_inputs:
        mean, std = x_train.mean(axis=0), x_train.std(axis=0)
        with np.errstate(invalid="ignore", divide="ignore"):
            x_train, x_val = (x_train - mean) / std, (x_val - mean) / std
    if condition.train_frac < 1:
        keep = int(len(y_train) * condition.train_frac)
        x_train, y_train = x_train[:keep], y_train[:keep]
    return x_train, y_train, x_val, y_val


def torch_mlp(condition: Condition):
    import torch.nn as nn

    layers, width = [], 64
    for size in condition.hidden:
        layers += [nn.Linear(width, size), nn.ReLU()]
        width = size
    return nn.Sequential(*layers, nn.Linear(width, NUM_CLASSES))


def torch_optimizer(condition: Condition, params):
    import torch

    if condition.optimizer == "sgd":
        return torch.optim.SGD(params, lr=condition.lr)
    return torch.optim.Adam(params, lr=condition.lr)


def quiet_torch():
    import torch

    torch.set_num_threads(1)
    torch.manual_seed(SEED)


def sig(value: float) -> float | str:
    """4 significant digits; NaN and infinities as strings (JSON has no NaN)."""
    value = float(value)
    if not math.isfinite(value):
        return str(value)
    return float(f"{value:.4g}")


def series_facts(values: list[float]) -> dict:
    finite = [v for v in values if math.isfinite(v)]
    facts = {"points": len(values), "first": sig(values[0]), "last": sig(values[-1])}
    if finite:
        facts.update({"min": sig(min(finite)), "max": sig(max(finite))})
    bad = [i for i, v in enumerate(values) if not math.isfinite(v)]
    if bad:
        facts.update({"first_non_finite_index": bad[0], "non_finite_points": len(bad)})
    return facts


def record_facts(library: str, condition: Condition, series: dict[str, list[float]], unit: dict[str, str]) -> None:
    """What the run really logged, for the manifest: per series its length, first, last, min, max
    and first non-finite point (index in the logged series, 0-based)."""
    folder = os.environ.get("FITLINT_GENERATE_FACTS")
    if not folder:
        return
    facts = {name: {"unit": unit.get(name, "epoch"), **series_facts([float(v) for v in values])}
             for name, values in series.items() if values}
    (Path(folder) / f"{library}-{condition.name}.json").write_text(json.dumps(facts, indent=1))


# ---------------------------------------------------------------- plain PyTorch: several formats from one loop


BAR_WIDTH, TERMINAL_WIDTH = 65, 80  # kuangliu's TOTAL_BAR_LENGTH; stty's width of a default terminal


def bar_and_message(current: int, total: int, msg: str, step_s: float, total_s: float) -> tuple[str, str]:
    """The seed's progress bar (kuangliu's pytorch-cifar utils.progress_bar) for one update: the
    bar, and the times with the caller's message."""
    done = int(BAR_WIDTH * current / total)
    bar = " [" + "=" * done + ">" + "." * (BAR_WIDTH - done - 1) + "]"
    return bar, f"  Step: {fmt_time(step_s)} | Tot: {fmt_time(total_s)} | {msg}"


def progress_bar_bytes(current: int, total: int, msg: str, step_s: float, total_s: float) -> str:
    """What the progress bar writes to a terminal for one update: the bar and the message padded
    to the terminal's width, backspaces to the middle of the bar and the batch counter there, then
    a carriage return (a newline after the last batch)."""
    bar, message = bar_and_message(current, total, msg, step_s, total_s)
    text = bar + message + " " * max(0, TERMINAL_WIDTH - BAR_WIDTH - len(message) - 3)
    text += "\b" * (TERMINAL_WIDTH - BAR_WIDTH // 2 + 2) + f" {current + 1}/{total} "
    return text + ("\r" if current < total - 1 else "\n")


def progress_bar_line(current: int, total: int, msg: str, step_s: float, total_s: float) -> str:
    """The same update as a line of its own (a log that keeps every update, one a line)."""
    bar, message = bar_and_message(current, total, msg, step_s, total_s)
    return f"{bar}{message}  {current + 1}/{total}\n"


def fmt_time(seconds: float) -> str:
    """kuangliu's format_time: at most two units, e.g. 1s234ms, 12ms."""
    parts, millis = [], int(round(seconds * 1000))
    for unit, size in (("D", 86_400_000), ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1)):
        if millis >= size and len(parts) < 2:
            parts.append(f"{millis // size}{unit}")
            millis %= size
    return "".join(parts) or "0ms"


def worker_torch(condition: Condition, out: Path) -> None:
    """One plain PyTorch run that keeps its curves the ways users do: SummaryWriter, np.savetxt
    (the seed), printed epoch lines (PyTorch examples' mnist style and the seed's progress bars),
    and MLflow (the default SQLite store and a file store, each holding every condition's run)."""
    import mlflow
    import numpy as np
    import torch
    import torch.nn.functional as F
    from mlflow.tracking import MlflowClient
    from torch.utils.tensorboard import SummaryWriter

    quiet_torch()
    x_train, y_train, x_val, y_val = (torch.from_numpy(a) for a in digits(condition))
    net = torch_mlp(condition)
    optimizer = torch_optimizer(condition, net.parameters())
    shuffle = torch.Generator().manual_seed(SEED)

    base = out / "torch" / condition.name
    for sub in ("tensorboard", "savetxt"):
        (base / sub).mkdir(parents=True, exist_ok=True)
    writer = SummaryWriter(log_dir=str(base / "tensorboard"))
    examples = open(base / "print_examples.txt", "w")
    seed_lines = open(base / "print_seed_lines.txt", "w")
    seed_terminal = open(base / "print_seed_terminal.txt", "w", newline="")

    params = {"optimizer": condition.optimizer, "lr": condition.lr, "epochs": condition.epochs,
              "batch_size": condition.batch, "hidden": "x".join(map(str, condition.hidden))}
    mlflow.set_tracking_uri(f"sqlite:///{out / 'mlflow' / 'sqlite' / 'mlflow.db'}")
    mlflow.set_experiment("digits")
    file_client = MlflowClient(f"file:{out / 'mlflow' / 'file' / 'mlruns'}")
    experiment = file_client.get_experiment_by_name("digits")
    experiment_id = experiment.experiment_id if experiment else file_client.create_experiment("digits")
    file_run = file_client.create_run(experiment_id, run_name=condition.name)
    for key, value in params.items():
        file_client.log_param(file_run.info.run_id, key, value)

    class Bars:
        """The seed's progress bar for one loader, written to both captures as the batches go."""

        def __init__(self, total: int):
            self.total, self.begin = total, time.time()
            self.last = self.begin

        def update(self, current: int, msg: str) -> None:
            now = time.time()
            step, since = now - self.last, now - self.begin
            seed_terminal.write(progress_bar_bytes(current, self.total, msg, step, since))
            seed_lines.write(progress_bar_line(current, self.total, msg, step, since))
            self.last = now

    history = {"train_acc": [], "train_loss": [], "test_acc": [], "test_loss": []}
    with mlflow.start_run(run_name=condition.name):
        mlflow.log_params(params)
        for epoch in range(condition.epochs):
            seed_terminal.write(f"\nEpoch: {epoch}\n")
            seed_lines.write(f"\nEpoch: {epoch}\n")
            net.train()
            order = torch.randperm(len(y_train), generator=shuffle)
            batches = [order[i:i + condition.batch] for i in range(0, len(order), condition.batch)]
            running, correct, seen, bar = 0.0, 0, 0, Bars(len(batches))
            for i, idx in enumerate(batches):
                optimizer.zero_grad()
                logits = net(x_train[idx])
                loss = F.cross_entropy(logits, y_train[idx])
                loss.backward()
                optimizer.step()
                running += loss.item()
                correct += int((logits.argmax(1) == y_train[idx]).sum())
                seen += len(idx)
                bar.update(i, "Loss: %.3f | Acc: %.3f%% (%d/%d)"
                           % (running / (i + 1), 100.0 * correct / seen, correct, seen))
                if i % 10 == 0:
                    examples.write("Train Epoch: {} [{}/{} ({:.0f}%)]\tLoss: {:.6f}\n".format(
                        epoch + 1, i * condition.batch, len(y_train), 100.0 * i / len(batches), loss.item()))
            train_loss, train_acc = running / len(batches), correct / seen

            net.eval()
            starts = range(0, len(y_val), EVAL_BATCH)
            running, correct, seen, summed, bar = 0.0, 0, 0, 0.0, Bars(len(starts))
            with torch.no_grad():
                for i, start in enumerate(starts):
                    xb, yb = x_val[start:start + EVAL_BATCH], y_val[start:start + EVAL_BATCH]
                    logits = net(xb)
                    loss = F.cross_entropy(logits, yb)
                    running += loss.item()
                    summed += F.cross_entropy(logits, yb, reduction="sum").item()
                    correct += int((logits.argmax(1) == yb).sum())
                    seen += len(yb)
                    bar.update(i, "Loss: %.3f | Acc: %.3f%% (%d/%d)"
                               % (running / (i + 1), 100.0 * correct / seen, correct, seen))
            val_loss, val_acc = running / len(starts), correct / seen
            examples.write("\nTest set: Average loss: {:.4f}, Accuracy: {}/{} ({:.0f}%)\n\n".format(
                summed / seen, correct, seen, 100.0 * correct / seen))

            lr = optimizer.param_groups[0]["lr"]
            for tag, value in (("Loss/train", train_loss), ("Accuracy/train", train_acc),
                               ("Loss/val", val_loss), ("Accuracy/val", val_acc), ("LR", lr)):
                writer.add_scalar(tag, value, epoch)
            metrics = {"train_loss": train_loss, "train_acc": train_acc, "val_loss": val_loss,
                       "val_acc": val_acc, "lr": lr}
            mlflow.log_metrics(metrics, step=epoch)
            for key, value in metrics.items():
                file_client.log_metric(file_run.info.run_id, key, value, step=epoch)

            # The seed saves the whole history every epoch, accuracy in percent, "test" = validation.
            for key, value in (("train_acc", 100.0 * train_acc), ("train_loss", train_loss),
                               ("test_acc", 100.0 * val_acc), ("test_loss", val_loss)):
                history[key].append(value)
                np.savetxt(base / "savetxt" / f"result_of_{key}.txt", np.array(history[key]), fmt="%f")
    file_client.set_terminated(file_run.info.run_id)
    record_facts("torch", condition, {"train_loss": history["train_loss"],
                                      "train_acc": [v / 100 for v in history["train_acc"]],
                                      "val_loss": history["test_loss"],
                                      "val_acc": [v / 100 for v in history["test_acc"]]}, {})
    writer.close()
    for handle in (examples, seed_lines, seed_terminal):
        handle.close()


# ---------------------------------------------------------------- Lightning: CSV, TensorBoard and MLflow loggers


def worker_lightning(condition: Condition, out: Path) -> None:
    import lightning as L
    import torch
    import torch.nn.functional as F
    from lightning.pytorch.callbacks import Callback, LearningRateMonitor
    from lightning.pytorch.loggers import CSVLogger, MLFlowLogger, TensorBoardLogger
    from torch.utils.data import DataLoader, TensorDataset

    quiet_torch()
    L.seed_everything(SEED, workers=True)

    class DigitsClassifier(L.LightningModule):
        def __init__(self, num_classes: int, hidden: list[int], optimizer: str, lr: float):
            super().__init__()
            self.save_hyperparameters()
            self.net = torch_mlp(condition)

        def step(self, batch, split: str, on_step: bool):
            x, y = batch
            logits = self.net(x)
            loss = F.cross_entropy(logits, y)
            acc = (logits.argmax(1) == y).float().mean()
            self.log(f"{split}_loss", loss, on_step=on_step, on_epoch=True)
            self.log(f"{split}_acc", acc, on_step=on_step, on_epoch=True)
            return loss

        def training_step(self, batch, batch_idx):
            return self.step(batch, "train", on_step=True)

        def validation_step(self, batch, batch_idx):
            self.step(batch, "val", on_step=False)

        def configure_optimizers(self):
            return torch_optimizer(condition, self.parameters())

    class Facts(Callback):
        def __init__(self):
            self.series = {"train_loss": [], "train_acc": [], "val_loss": [], "val_acc": []}

        def on_validation_epoch_end(self, trainer, module):
            if not trainer.sanity_checking:
                for key in ("val_loss", "val_acc"):
                    self.series[key].append(float(trainer.callback_metrics[key]))

        def on_train_epoch_end(self, trainer, module):
            for key in ("train_loss", "train_acc"):
                self.series[key].append(float(trainer.callback_metrics[f"{key}_epoch"]))

    x_train, y_train, x_val, y_val = (torch.from_numpy(a) for a in digits(condition))
    train = DataLoader(TensorDataset(x_train, y_train), batch_size=condition.batch, shuffle=True)
    val = DataLoader(TensorDataset(x_val, y_val), batch_size=EVAL_BATCH)
    facts = Facts()
    base = out / "lightning" / condition.name
    loggers = [CSVLogger(base / "csv"), TensorBoardLogger(base / "tensorboard"),
               MLFlowLogger(run_name=condition.name, save_dir=str(base / "mlflow" / "mlruns"))]
    trainer = L.Trainer(max_epochs=condition.epochs, accelerator="cpu", devices=1, logger=loggers,
                        callbacks=[LearningRateMonitor(logging_interval="epoch"), facts],
                        enable_checkpointing=False,
                        enable_progress_bar=False, enable_model_summary=False, deterministic=True)
    model = DigitsClassifier(NUM_CLASSES, list(condition.hidden), condition.optimizer, condition.lr)
    trainer.fit(model, train, val)
    record_facts("lightning", condition, facts.series, {})


# ---------------------------------------------------------------- Hugging Face Trainer


def worker_hf(condition: Condition, out: Path) -> None:
    import numpy as np
    import torch
    import torch.nn.functional as F
    from torch.utils.data import Dataset
    from transformers import PretrainedConfig, PreTrainedModel, Trainer, TrainingArguments
    from transformers.modeling_outputs import SequenceClassifierOutput

    quiet_torch()

    class DigitsConfig(PretrainedConfig):
        model_type = "digits-mlp"

        def __init__(self, hidden_sizes=(128,), **kwargs):
            super().__init__(**kwargs)
            self.hidden_sizes = list(hidden_sizes)

    class DigitsMLP(PreTrainedModel):
        config_class = DigitsConfig

        def __init__(self, config: DigitsConfig):
            super().__init__(config)
            self.net = torch_mlp(condition)

        def _init_weights(self, module):
            pass  # keep PyTorch's default initialization, as the other libraries' runs

        def forward(self, pixel_values=None, labels=None):
            logits = self.net(pixel_values)
            loss = F.cross_entropy(logits, labels) if labels is not None else None
            return SequenceClassifierOutput(loss=loss, logits=logits)

    class Digits(Dataset):
        def __init__(self, x, y):
            self.x, self.y = torch.from_numpy(x), torch.from_numpy(y)

        def __len__(self):
            return len(self.y)

        def __getitem__(self, i):
            return {"pixel_values": self.x[i], "labels": self.y[i]}

    def accuracy(prediction):
        return {"accuracy": float((np.argmax(prediction.predictions, axis=1) == prediction.label_ids).mean())}

    x_train, y_train, x_val, y_val = digits(condition)
    config = DigitsConfig(hidden_sizes=condition.hidden, num_labels=NUM_CLASSES)
    model = DigitsMLP(config)
    output_dir = out / "hf" / condition.name / "out"
    args = TrainingArguments(
        output_dir=str(output_dir), num_train_epochs=condition.epochs, learning_rate=condition.lr,
        optim="sgd" if condition.optimizer == "sgd" else "adamw_torch", lr_scheduler_type="linear",
        per_device_train_batch_size=condition.batch, per_device_eval_batch_size=EVAL_BATCH,
        eval_strategy="epoch", save_strategy="epoch", save_total_limit=1, logging_steps=10,
        report_to="none", use_cpu=True, disable_tqdm=True, seed=SEED, dataloader_num_workers=0)
    trainer = Trainer(model=model, args=args, train_dataset=Digits(x_train, y_train),
                      eval_dataset=Digits(x_val, y_val), compute_metrics=accuracy)
    trainer.train()
    trainer.save_model()
    history = trainer.state.log_history
    record_facts("hf", condition, {"train_loss": [e["loss"] for e in history if "loss" in e],
                                   "grad_norm": [e["grad_norm"] for e in history if "grad_norm" in e],
                                   "val_loss": [e["eval_loss"] for e in history if "eval_loss" in e],
                                   "val_acc": [e["eval_accuracy"] for e in history if "eval_accuracy" in e]},
                 {"train_loss": f"step (every {args.logging_steps})", "grad_norm": f"step (every {args.logging_steps})"})


# ---------------------------------------------------------------- Keras 3 (torch backend)


def worker_keras(condition: Condition, out: Path, verbose: int, csv: bool) -> None:
    """Trains with model.fit(verbose=...) printing to this process's stdout, which the parent
    saves to a file; with ``csv``, also CSVLogger('training.log')."""
    os.environ["KERAS_BACKEND"] = "torch"
    import keras

    quiet_torch()
    keras.utils.set_random_seed(SEED)
    x_train, y_train, x_val, y_val = digits(condition)
    layers = [keras.Input(shape=(64,))] + [keras.layers.Dense(n, activation="relu") for n in condition.hidden]
    model = keras.Sequential(layers + [keras.layers.Dense(NUM_CLASSES)])
    optimizer = (keras.optimizers.SGD(learning_rate=condition.lr) if condition.optimizer == "sgd"
                 else keras.optimizers.Adam(learning_rate=condition.lr))
    model.compile(optimizer=optimizer, loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                  metrics=["accuracy"])
    base = out / "keras" / condition.name
    callbacks = [keras.callbacks.CSVLogger(str(base / "training.log"))] if csv else []
    history = model.fit(x_train, y_train, validation_data=(x_val, y_val), epochs=condition.epochs,
                        batch_size=condition.batch, callbacks=callbacks, verbose=verbose).history
    sys.stdout.flush()
    if csv:
        record_facts("keras", condition, {"train_loss": history["loss"], "train_acc": history["accuracy"],
                                          "val_loss": history["val_loss"], "val_acc": history["val_accuracy"]}, {})


# ---------------------------------------------------------------- manifest: every run and what fitlint should say


@dataclass(frozen=True)
class Format:
    library: str
    format: str
    path: str  # relative to this folder; {c} is the condition
    train_accuracy: bool  # whether the log has a training accuracy
    lr_logged: bool
    classes_from: str | None  # metadata that gives the class count, if any
    facts_from: str  # the worker whose recorded facts describe this log
    run_name: bool = False  # one store with every condition's run: the run is named after the condition
    notes: str = ""


FORMATS = (
    Format("lightning", "lightning-csv", "lightning/{c}/csv/lightning_logs/version_0", True, True,
           "hparams.yaml num_classes", "lightning",
           notes="metrics.csv: epoch and step rows interleaved (train_*_step every 50 steps, *_epoch, val_*, lr-*)"),
    Format("lightning", "lightning-tensorboard", "lightning/{c}/tensorboard/lightning_logs/version_0", True, True,
           "hparams.yaml num_classes", "lightning",
           notes="hp_metric = -1 is Lightning's placeholder, not a series; 'epoch' is a scalar too"),
    Format("lightning", "lightning-mlflow", "lightning/{c}/mlflow/mlruns", True, True, "MLflow param num_classes",
           "lightning", notes="MLFlowLogger's file store (its default save_dir ./mlruns); steps are global steps"),
    Format("transformers", "hf-trainer-state", "hf/{c}/out", False, True, "config.json id2label (num_labels 10)",
           "hf", notes="trainer_state.json in out/checkpoint-N/ (the last epoch's; weights pruned) and config.json "
                       "in out/; training loss every 10 steps, evaluation every epoch; no training accuracy"),
    Format("keras", "keras-csvlogger", "keras/{c}/training.log", True, False, None, "keras",
           notes="CSVLogger('training.log'), the name in the Keras docs: a CSV whose name ends in .log"),
    Format("keras", "keras-stdout-verbose1", "keras/{c}/fit_verbose1.txt", True, False, None, "keras",
           notes="model.fit(verbose=1) stdout redirected to a file: Keras 3 redraws its bar with backspaces, "
                 "carriage returns and ANSI colours even then (it treats every POSIX stdout as a terminal)"),
    Format("keras", "keras-stdout-verbose2", "keras/{c}/fit_verbose2.txt", True, False, None, "keras",
           notes="model.fit(verbose=2): one line per epoch"),
    Format("torch", "tensorboard-summarywriter", "torch/{c}/tensorboard", True, True, None, "torch",
           notes="SummaryWriter tags Loss/train, Accuracy/train, Loss/val, Accuracy/val, LR per epoch"),
    Format("numpy", "savetxt", "torch/{c}/savetxt", True, False, None, "torch",
           notes="the seed's np.savetxt files: accuracy in percent, 'test' is the validation split"),
    Format("print", "stdout-pytorch-examples", "torch/{c}/print_examples.txt", False, False, None, "torch",
           notes="pytorch/examples mnist style: 'Train Epoch: N [i/n (p%)]\\tLoss: x' every 10 batches (one "
                 "batch's loss, epochs from 1), 'Test set: Average loss: x, Accuracy: c/n (p%)'"),
    Format("print", "stdout-seed-lines", "torch/{c}/print_seed_lines.txt", True, False, None, "torch",
           notes="the seed's 'Epoch: N' and progress bars, every update on its own line: first the training "
                 "loader's bar, then the test loader's (batch 100, totals up to 360) in the same format"),
    Format("print", "stdout-seed-terminal", "torch/{c}/print_seed_terminal.txt", True, False, None, "torch",
           notes="the same bars as the progress bar writes them to a terminal: updates separated by \\r, "
                 "backspaces to the middle of the bar before the batch counter, \\n after each loader's last"),
    Format("mlflow", "mlflow-sqlite", "mlflow/sqlite/mlflow.db", True, True, None, "torch", run_name=True,
           notes="MLflow 3's default store (sqlite:///mlflow.db), one run per condition, run name = condition"),
    Format("mlflow", "mlflow-file", "mlflow/file/mlruns", True, True, None, "torch", run_name=True,
           notes="MLflow file store, one run per condition, run name = condition"),
)

WARNINGS_AND_ERRORS = ["LOG001", "LOG002", "LOG003", "LOG004", "LOG005", "LOG006", "LOG007", "LOG008", "LOG009"]


def expectation(condition: str, fmt: Format) -> dict:
    """What ``fitlint logs`` must and must not report on this run (issue 14, items 3-5 and 7).

    ``must``: every code listed appears; ``one_of``: for each list, at least one of its codes
    appears; ``must_not``: none of these appears. Codes not named are left to the checks (a real
    side effect such as a rising validation loss is not wrong to report)."""
    must, one_of, must_not, notes = [], [], [], []
    if condition == "healthy":
        must_not = list(WARNINGS_AND_ERRORS)
        notes.append("healthy: no warning or error")
    elif condition == "shuffled_labels":
        must, must_not = ["LOG002"], ["LOG004", "LOG005", "LOG006", "LOG010"]
        if not fmt.train_accuracy:
            notes.append("no training accuracy in this log: validation at chance judged from validation alone "
                         "(item 3)")
    elif condition == "sorted_split":
        must_not = ["LOG004", "LOG005", "LOG006", "LOG010"]
        if fmt.classes_from:
            must = ["LOG002"]
            notes.append(f"k = 10 from {fmt.classes_from} (item 4)")
        else:
            one_of = [["LOG002", "LOG009"]]
            notes.append("validation accuracy at most 1.67% (6/360), far below any chance level, while training "
                         "reaches ~100%: LOG002 when k is inferred, else LOG009, reported whatever k is (item 4)")
    elif condition == "lr_high":
        if fmt.facts_from == "hf":
            must, must_not = ["LOG002"], ["LOG004", "LOG006"]
            notes.append("gradient clipping (max_grad_norm 1.0) and the linear schedule bring the loss from 36.9 "
                         "down to ln 10 while validation stays at chance: LOG002 from validation alone (item 3)")
        else:
            must, must_not = ["LOG005"], ["LOG004", "LOG006", "LOG010"]
            notes.append("the loss explodes in epoch 0, then stays far above ln 10 with accuracy at chance: "
                         "divergence (LOG005, lower the learning rate), not LOG006 (item 3)")
    elif condition == "nan_loss":
        must, must_not = ["LOG004"], ["LOG001", "LOG005", "LOG006", "LOG010"]
        if fmt.facts_from == "hf":
            notes.append("logging_nan_inf_filter hides the NaN training loss (logged as 0.0); grad_norm and "
                         "eval_loss are NaN")
    elif condition == "tiny_train":
        must, must_not = ["LOG001"], ["LOG002", "LOG004", "LOG005", "LOG006", "LOG009", "LOG010"]
        if fmt.format.startswith("stdout-seed"):
            notes.append("the second bar of each epoch (totals up to 360, the training bar's stop at 43) is the "
                         "test loader: a gap, not a training loss that stalls (item 7)")
    elif condition == "lr_zero":
        must, must_not = ["LOG006"], ["LOG001", "LOG002", "LOG004", "LOG005", "LOG010"]
        if fmt.lr_logged:
            notes.append("the learning rate is logged and exactly 0: the finding says the rate is zero, not "
                         "'too small?' nor a scheduler (item 5)")
    return {"must": must, "one_of": one_of, "must_not": must_not, "notes": " ".join(notes)}


def library_versions() -> dict[str, str]:
    from importlib.metadata import PackageNotFoundError, version

    found = {}
    for name in ("torch", "lightning", "transformers", "accelerate", "keras", "mlflow", "tensorboard",
                 "scikit-learn", "numpy"):
        try:
            found[name] = version(name)
        except PackageNotFoundError:
            pass
    return found


def write_manifest(out: Path, facts_dir: Path, timings: dict[str, float]) -> None:
    """manifest.json: every run under ``out`` with its library, format, condition, class count,
    what it really logged and what fitlint should report. Facts and timings of runs not
    regenerated this time are kept from the previous manifest."""
    path = out / "manifest.json"
    previous = json.loads(path.read_text()) if path.exists() else {}
    old = {(r["path"], r.get("run_name")): r for r in previous.get("runs", [])}
    runs = []
    for fmt in FORMATS:
        for name, condition in CONDITIONS.items():
            rel = fmt.path.format(c=name)
            if not (out / rel).exists():
                continue
            run_name = name if fmt.run_name else None
            fact_file = facts_dir / f"{fmt.facts_from}-{name}.json"
            facts = (json.loads(fact_file.read_text()) if fact_file.exists()
                     else old.get((rel, run_name), {}).get("logged", {}))
            runs.append({"path": rel, "run_name": run_name, "library": fmt.library, "format": fmt.format,
                         "condition": name, "num_classes": NUM_CLASSES, "classes_in_metadata": fmt.classes_from,
                         "training_accuracy_logged": fmt.train_accuracy, "lr_logged": fmt.lr_logged,
                         "logged": facts, "expect": expectation(name, fmt)})
    manifest = {
        "about": "Logs written by the real libraries on scikit-learn's digits (10 classes, 1437 training and "
                 "360 validation samples unless the condition says otherwise), with planted conditions; "
                 "generated by generate.py (see README.md). 'logged' is what the run logged (validation = "
                 "the held-out split, accuracies as fractions); 'expect' is what `fitlint logs --format json "
                 "PATH` must report for the run (codes), after issue 14; 'formats' says what each format's files hold.",
        "versions": library_versions() or previous.get("versions", {}),
        "conditions": {c.name: {k: v for k, v in asdict(c).items() if k != "name"} for c in CONDITIONS.values()},
        "formats": {fmt.format: {"library": fmt.library, "path": fmt.path.replace("{c}", "<condition>"),
                                 "notes": fmt.notes} for fmt in FORMATS},
        "seconds": {**previous.get("seconds", {}), **timings},
        "runs": runs,
    }
    path.write_text(compact_json(manifest) + "\n")


def compact_json(value, indent: str = "") -> str:
    """JSON with one line for each list or object that holds no list or object (short and diffable)."""
    if isinstance(value, dict) and any(isinstance(v, (dict, list)) for v in value.values()):
        inner = indent + " "
        items = [f"{inner}{json.dumps(k)}: {compact_json(v, inner)}" for k, v in value.items()]
        return "{\n" + ",\n".join(items) + "\n" + indent + "}"
    if isinstance(value, list) and any(isinstance(v, (dict, list)) for v in value):
        inner = indent + " "
        return "[\n" + ",\n".join(inner + compact_json(v, inner) for v in value) + "\n" + indent + "]"
    return json.dumps(value, allow_nan=False)


# ---------------------------------------------------------------- orchestration


def worker_command(library: str, condition: str, out: Path, *extra: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--worker", library, "--conditions", condition,
            "--out", str(out), *extra]


def worker_env() -> dict[str, str]:
    env = dict(os.environ, OMP_NUM_THREADS="1", MKL_NUM_THREADS="1", PYTHONHASHSEED=str(SEED),
               TF_CPP_MIN_LOG_LEVEL="3", MLFLOW_ENABLE_TELEMETRY="false", DO_NOT_TRACK="1",
               HF_HUB_OFFLINE="1",
               # MLflow 3.17 refuses its file store unless told; Lightning's MLFlowLogger defaults to it.
               MLFLOW_ALLOW_FILE_STORE="true", TRANSFORMERS_NO_ADVISORY_WARNINGS="1", PYTHONWARNINGS="ignore")
    env.pop("MLFLOW_TRACKING_URI", None)
    return env


def run_to_file(command: list[str], stdout: Path, stderr: Path) -> None:
    with open(stdout, "wb") as out, open(stderr, "ab") as err:
        subprocess.run(command, stdout=out, stderr=err, env=worker_env(), check=True)


def generate(library: str, condition: Condition, out: Path, stderr: Path) -> None:
    if library == "keras":
        base = out / "keras" / condition.name
        base.mkdir(parents=True, exist_ok=True)
        run_to_file(worker_command("keras", condition.name, out, "--verbose", "1", "--csv"),
                    base / "fit_verbose1.txt", stderr)
        run_to_file(worker_command("keras", condition.name, out, "--verbose", "2"), base / "fit_verbose2.txt", stderr)
        return
    with open(stderr, "ab") as err:
        subprocess.run(worker_command(library, condition.name, out), stdout=err, stderr=err, env=worker_env(),
                       check=True)


LIBRARIES = ("torch", "lightning", "hf", "keras")
DROP_NAMES = {"training_args.bin", "tokenizer.json", "tokenizer_config.json", "special_tokens_map.json",
              "generation_config.json", "model.safetensors", "optimizer.pt", "scheduler.pt", "rng_state.pth"}


def prune(root: Path) -> None:
    """Keeps the logs and the small metadata beside them; removes weights, optimizer states and
    empty folders; replaces this machine's name in event file names."""
    host = socket.gethostname()
    for path in sorted(root.rglob("*"), key=lambda p: len(p.parts), reverse=True):
        if path.is_file():
            if path.name in DROP_NAMES or path.suffix in {".ckpt", ".pt", ".pth", ".bin", ".safetensors"}:
                path.unlink()
            elif "tfevents" in path.name and host in path.name:
                path.rename(path.with_name(path.name.replace(host, "localhost")))
        elif path.is_dir() and not any(path.iterdir()):
            path.rmdir()


def clean(out: Path, library: str, condition: str) -> None:
    target = out / library / condition
    if target.exists():
        shutil.rmtree(target)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=HERE)
    parser.add_argument("--only", default=",".join(LIBRARIES), help="libraries, comma-separated")
    parser.add_argument("--conditions", default=",".join(CONDITIONS), help="conditions, comma-separated")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--verbose", type=int, default=1, help=argparse.SUPPRESS)
    parser.add_argument("--csv", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    out = args.out.resolve()
    names = [c for c in args.conditions.split(",") if c]
    unknown = [c for c in names if c not in CONDITIONS]
    if unknown:
        parser.error(f"unknown condition(s): {', '.join(unknown)} (known: {', '.join(CONDITIONS)})")
    if args.worker:
        condition = CONDITIONS[names[0]]
        if args.worker == "keras":
            worker_keras(condition, out, args.verbose, args.csv)
        else:
            {"torch": worker_torch, "lightning": worker_lightning, "hf": worker_hf}[args.worker](condition, out)
        return 0

    libraries = [lib for lib in args.only.split(",") if lib]
    if set(libraries) - set(LIBRARIES):
        parser.error(f"unknown librar(ies): {', '.join(sorted(set(libraries) - set(LIBRARIES)))} "
                     f"(known: {', '.join(LIBRARIES)})")
    if "torch" in libraries and set(names) != set(CONDITIONS):
        parser.error("the torch runs share two MLflow stores (one run per condition): regenerate them with "
                     "every condition")
    stderr = Path(tempfile.gettempdir()) / "fitlint-generate.stderr.log"
    stderr.unlink(missing_ok=True)
    facts_dir = Path(tempfile.mkdtemp(prefix="fitlint-generate-facts-"))
    os.environ["FITLINT_GENERATE_FACTS"] = str(facts_dir)
    timings = {}
    if "torch" in libraries:
        shutil.rmtree(out / "mlflow", ignore_errors=True)
    for library in libraries:
        for name in names:
            clean(out, library, name)
            if library == "torch":
                for store in ("sqlite", "file"):
                    (out / "mlflow" / store).mkdir(parents=True, exist_ok=True)
            start = time.time()
            print(f"{library:9s} {name:16s}", end=" ", flush=True)
            generate(library, CONDITIONS[name], out, stderr)
            timings[f"{library}/{name}"] = round(time.time() - start, 1)
            print(f"{timings[f'{library}/{name}']:6.1f} s", flush=True)
    prune(out)
    write_manifest(out, facts_dir, timings)
    shutil.rmtree(facts_dir)
    print(f"total {sum(timings.values()):.0f} s; stderr of the workers in {stderr}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
