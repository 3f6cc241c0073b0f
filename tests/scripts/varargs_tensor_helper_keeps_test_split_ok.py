"""EEG features classifier, fixed: the varargs helper `to_tensor(*arrays)` maps the training and the
validation arrays, and the checkpoint is kept when the validation loss improves."""
import numpy as np
import torch
import torch.nn as nn


def load(split):
    d = np.load(f"data/eeg_{split}.npz")
    return d["features"].astype(np.float32), d["labels"].astype(np.int64)


def to_tensor(*arrays):
    return [torch.from_numpy(a) for a in arrays]


X_train, y_train = load("train")
X_val, y_val = load("val")
mean, std = X_train.mean(0), X_train.std(0) + 1e-8
X_train, X_val = (X_train - mean) / std, (X_val - mean) / std
Xtr, ytr, Xva, yva = to_tensor(X_train, y_train, X_val, y_val)

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
        val_loss = criterion(model(Xva), yva).item()
    if val_loss < best_loss:
        best_loss = val_loss
        torch.save(model.state_dict(), "eeg_mlp.pt")
