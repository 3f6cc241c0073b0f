"""Batches cut by hand from data that is in random order: a random split, a permutation applied
when splitting, sklearn's shuffle every epoch, an index list shuffled in place, and a helper whose
arrays come from callers the analysis cannot see. Nothing here may be flagged."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.utils import shuffle

data = np.load("data.npz")
X, y = data["X"], data["y"]
perm = np.random.permutation(len(X))
X_a, y_a = X[perm[:800]], y[perm[:800]]
X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.2)
X_tr = torch.tensor(X_tr, dtype=torch.float32)
y_tr = torch.tensor(y_tr)
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
opt = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss()
bs = 32
for epoch in range(5):
    for i in range(0, len(X_tr), bs):
        opt.zero_grad()
        loss_fn(model(X_tr[i:i + bs]), y_tr[i:i + bs]).backward()
        opt.step()
for epoch in range(5):
    for i in range(0, len(X_a), bs):
        xb = torch.tensor(X_a[i:i + bs], dtype=torch.float32)
        yb = torch.tensor(y_a[i:i + bs])
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
Xs, ys = X.copy(), y.copy()
for epoch in range(5):
    Xs, ys = shuffle(Xs, ys)
    for start in range(0, len(Xs), bs):
        xb = torch.tensor(Xs[start:start + bs], dtype=torch.float32)
        yb = torch.tensor(ys[start:start + bs])
        opt.zero_grad()
        loss_fn(model(xb), yb).backward()
        opt.step()
idx = np.arange(len(X))
for epoch in range(5):
    np.random.shuffle(idx)
    for b in range(len(X) // bs):
        sel = idx[b * bs:(b + 1) * bs]
        opt.zero_grad()
        loss_fn(model(torch.tensor(X[sel], dtype=torch.float32)), torch.tensor(y[sel])).backward()
        opt.step()


def train_on(features, labels):
    for i in range(0, len(features), bs):
        opt.zero_grad()
        loss_fn(model(features[i:i + bs]), labels[i:i + bs]).backward()
        opt.step()
