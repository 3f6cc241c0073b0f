"""Handwritten digits from a NumPy archive: a helper shuffles the arrays it is handed in a list,
then the first 5,000 rows are the validation part. The helper draws one permutation and applies
it to every array, so features and labels stay paired and the validation part is random."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def shuffle_arrays(arrays, seed=0):
    perm = np.random.default_rng(seed).permutation(len(arrays[0]))
    return [a[perm] for a in arrays]


data = np.load("data/digits.npz")
X, y = data["X"].astype(np.float32) / 255.0, data["y"].astype(np.int64)
X, y = shuffle_arrays([X, y], seed=42)
X_val, y_val = X[:5000], y[:5000]
X_tr, y_tr = X[5000:], y[5000:]

train_loader = DataLoader(TensorDataset(torch.from_numpy(X_tr), torch.from_numpy(y_tr)), batch_size=128, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)), batch_size=1024)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        acc = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader) / len(y_val)
    print(epoch, acc)
