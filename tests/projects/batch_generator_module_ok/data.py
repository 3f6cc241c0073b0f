"""Income data: pre-split CSV files, standardised, and a batch generator over the arrays."""
import numpy as np
import pandas as pd
import torch

NUMERIC = ["age", "education_num", "capital_gain", "capital_loss", "hours_per_week"]


def load_split(path, mean=None, std=None):
    frame = pd.read_csv(path)
    X = frame[NUMERIC].values.astype(np.float32)
    mean = X.mean(0) if mean is None else mean
    std = X.std(0) + 1e-6 if std is None else std
    y = (frame["income"] == ">50K").values.astype(np.int64)
    return torch.from_numpy((X - mean) / std), torch.from_numpy(y), mean, std


def iterate_minibatches(X, y, batch_size):
    for start in range(0, X.shape[0], batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]
