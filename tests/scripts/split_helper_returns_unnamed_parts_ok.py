"""Keyword spotting on precomputed MFCCs: a `holdout` helper returns the training and held-out
parts unnamed, cut from the end of the arrays after one seeded permutation of both: a random
held-out part."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def holdout(X, y, frac=0.15):
    n_hold = int(len(X) * frac)
    perm = np.random.default_rng(0).permutation(len(X))
    X, y = X[perm], y[perm]
    return (X[:-n_hold], y[:-n_hold]), (X[-n_hold:], y[-n_hold:])


data = np.load("features.npz")
X, y = data["mfcc"].astype(np.float32), data["label"].astype(np.int64)
(X_tr, y_tr), (X_va, y_va) = holdout(X, y)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_tr), torch.from_numpy(y_tr)), batch_size=128, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_va), torch.from_numpy(y_va)), batch_size=512)
model = nn.Sequential(nn.Conv1d(40, 64, 5, padding=2), nn.BatchNorm1d(64), nn.ReLU(), nn.AdaptiveAvgPool1d(1),
                      nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, 12))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        acc = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader) / len(y_va)
    print(epoch, acc)
