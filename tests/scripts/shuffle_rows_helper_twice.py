# Spectra and their labels each go through a helper that shuffles its array in place with the
# script's generator and returns it: two calls, two draws, two different orders.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

rng = np.random.default_rng(0)


def shuffle_rows(arr):
    rng.shuffle(arr)
    return arr


data = np.load("spectra.npz")
X = data["X"].astype(np.float32)
y = data["y"].astype(np.int64)
X = shuffle_rows(X)
y = shuffle_rows(y)  # expect: FIT103
n_val = len(X) // 5
train_ds = TensorDataset(torch.from_numpy(X[n_val:]), torch.from_numpy(y[n_val:]))
val_ds = TensorDataset(torch.from_numpy(X[:n_val]), torch.from_numpy(y[:n_val]))
loader = DataLoader(train_ds, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(X.shape[1], 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
