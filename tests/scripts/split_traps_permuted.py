"""Trap script for FIT102: every split here is correct and must stay silent.

Splits after one permutation (NumPy, torch, index lists, data frames, sklearn.utils.shuffle),
library splits that shuffle, pre-split datasets, a language model's shifted targets, batch
slicing inside loops and a debug subset.
"""
import random

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.utils import shuffle
from torch.utils.data import DataLoader, Subset, SubsetRandomSampler, TensorDataset, random_split
from torchvision import datasets, transforms


def load_arrays(path):
    data = np.load(path)
    return data["x"].astype(np.float32) / 255.0, data["y"].astype(np.int64)


def split_numpy(features, labels, val_fraction=0.2):
    perm = np.random.permutation(len(features))
    features, labels = features[perm], labels[perm]
    n_val = int(val_fraction * len(features))
    x_train, y_train = features[n_val:], labels[n_val:]
    x_val, y_val = features[:n_val], labels[:n_val]
    return x_train, y_train, x_val, y_val


def split_torch(x, y):
    idx = torch.randperm(x.shape[0])
    x, y = x[idx], y[idx]
    cut = int(0.8 * x.shape[0])
    return (x[:cut], y[:cut]), (x[cut:], y[cut:])


def subset_split(dataset, valid_size=0.1):
    num_train = len(dataset)
    indices = list(range(num_train))
    random.shuffle(indices)
    split = int(np.floor(valid_size * num_train))
    train_idx, valid_idx = indices[split:], indices[:split]
    train_loader = DataLoader(dataset, batch_size=64, sampler=SubsetRandomSampler(train_idx))
    valid_loader = DataLoader(dataset, batch_size=256, sampler=SubsetRandomSampler(valid_idx))
    return train_loader, valid_loader


def frame_split(csv_path):
    df = pd.read_csv(csv_path)
    df = df.sample(frac=1.0, random_state=42).reset_index(drop=True)
    n_train = int(len(df) * 0.85)
    train_df = df.iloc[:n_train]
    val_df = df.iloc[n_train:]
    return train_df, val_df


def sklearn_splits(features, labels):
    features, labels = shuffle(features, labels, random_state=0)
    n_train = int(0.8 * len(features))
    X_train, X_val = features[:n_train], features[n_train:]
    X_tr, X_te, y_tr, y_te = train_test_split(features, labels, test_size=0.2, stratify=labels)
    return X_train, X_val, X_tr, X_te, y_tr, y_te


def rng_split(features, labels):
    rng = np.random.default_rng(0)
    order = rng.permutation(len(features))
    train_ids, val_ids = order[:1152], order[1152:]
    return features[train_ids], labels[train_ids], features[val_ids], labels[val_ids]


def presplit_datasets():
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST("./data", train=True, download=True, transform=tf)
    test_set = datasets.MNIST("./data", train=False, download=True, transform=tf)
    val_set = Subset(test_set, range(5000))
    final_test = Subset(test_set, range(5000, 10000))
    full = TensorDataset(torch.randn(1000, 10), torch.randint(0, 2, (1000,)))
    train_part, val_part = random_split(full, [800, 200])
    return train_set, val_set, final_test, train_part, val_part


def sequence_targets(token_ids):
    stream = torch.tensor(token_ids)
    inputs, targets = stream[:-1], stream[1:]
    return inputs, targets


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))

    def forward(self, x):
        return self.net(x)


def main():
    features, labels = load_arrays("digits.npz")
    x_train, y_train, x_val, y_val = split_numpy(features, labels)
    debug_x, debug_y = x_train[:256], y_train[:256]
    model = MLP()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    train_x, train_y = torch.from_numpy(debug_x), torch.from_numpy(debug_y)
    for epoch in range(5):
        perm = torch.randperm(len(train_x))
        for start in range(0, len(train_x), 32):
            batch = perm[start:start + 32]
            xb, yb = train_x[batch], train_y[batch]
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
    model.eval()
    with torch.no_grad():
        val_acc = (model(torch.from_numpy(x_val)).argmax(1) == torch.from_numpy(y_val)).float().mean()
    print(f"val acc {val_acc:.3f}")
    (tx, ty), (vx, vy) = split_torch(torch.from_numpy(features), torch.from_numpy(labels))
    sklearn_splits(features, labels)
    rng_split(features, labels)
    subset_split(TensorDataset(tx, ty))
    frame_split("digits.csv")
    presplit_datasets()


if __name__ == "__main__":
    main()
