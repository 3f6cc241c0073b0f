"""EEG features classifier: the arrays go through a varargs helper, `to_tensor(*arrays)`, that maps
each one to a tensor. The fourth part of its result is still the test split, and the checkpoint is
kept when the test loss improves (FIT601)."""
import numpy as np
import torch
import torch.nn as nn


def load(split):
    d = np.load(f"data/eeg_{split}.npz")
    return d["features"].astype(np.float32), d["labels"].astype(np.int64)


def to_tensor(*arrays):
    return [torch.from_numpy(a) for a in arrays]


X_train, y_train = load("train")
X_test, y_test = load("test")
mean, std = X_train.mean(0), X_train.std(0) + 1e-8
X_train, X_test = (X_train - mean) / std, (X_test - mean) / std
Xtr, ytr, Xte, yte = to_tensor(X_train, y_train, X_test, y_test)

model = nn.Sequential(nn.Linear(Xtr.shape[1], 128), nn.BatchNorm1d(128), nn.ELU(), nn.Dropout(0.5), nn.Linear(128, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=5e-4, weight_decay=1e-3)
criterion = nn.CrossEntropyLoss()
best_loss = float("inf")
for epoch in range(300):
    model.train()
    order = torch.randperm(len(Xtr))
    for start in range(0, len(order), 32):
        idx = order[start:start + 32]
        optimizer.zero_grad()
        loss = criterion(model(Xtr[idx]), ytr[idx])
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        test_loss = criterion(model(Xte), yte).item()
    if test_loss < best_loss:  # expect: FIT601
        best_loss = test_loss
        torch.save(model.state_dict(), "eeg_mlp.pt")
