"""Regenerate the MLflow fixtures with the real mlflow client (not needed to run the tests).

    python -m venv /tmp/mlenv && /tmp/mlenv/bin/pip install mlflow
    cd tests/logs/data && /tmp/mlenv/bin/python make_mlflow_fixtures.py

Writes ``mlflow_file/mlruns`` (file store) and ``mlflow_sqlite/mlflow.db`` (SQLite store): one run
"overfit" (train accuracy climbs, validation stays at 50%, a NaN training loss at step 7 in the
SQLite store) and one run "healthy".
"""

import math
import shutil
from pathlib import Path

import os

os.environ.setdefault("MLFLOW_ALLOW_FILE_STORE", "true")  # mlflow 3 keeps the file store behind a flag

import mlflow


def log_runs(nan_step=None):
    mlflow.set_experiment("fitlint-fixture")
    with mlflow.start_run(run_name="overfit"):
        mlflow.log_param("num_classes", 2)
        for epoch in range(12):
            train_acc = min(0.5 + 0.05 * epoch, 0.99)
            loss = 0.69 * (0.7 ** epoch)
            if nan_step is not None and epoch == nan_step:
                loss = math.nan
            mlflow.log_metrics(
                {
                    "train_loss": loss,
                    "train_accuracy": train_acc,
                    "val_loss": 0.69 + 0.05 * epoch,
                    "val_accuracy": 0.5 + (0.01 if epoch % 2 else -0.01),
                },
                step=epoch,
            )
    with mlflow.start_run(run_name="healthy"):
        for epoch in range(12):
            mlflow.log_metrics(
                {
                    "train_loss": 0.69 * (0.8 ** epoch),
                    "val_loss": 0.7 * (0.82 ** epoch),
                    "train_accuracy": 0.5 + 0.04 * epoch,
                    "val_accuracy": 0.5 + 0.038 * epoch,
                },
                step=epoch,
            )


here = Path(__file__).parent
for sub in ("mlflow_file", "mlflow_sqlite"):
    shutil.rmtree(here / sub, ignore_errors=True)
    (here / sub).mkdir()

mlflow.set_tracking_uri((here / "mlflow_file" / "mlruns").resolve().as_uri())
log_runs()
mlflow.set_tracking_uri("sqlite:///" + str((here / "mlflow_sqlite" / "mlflow.db").resolve()))
log_runs(nan_step=7)
