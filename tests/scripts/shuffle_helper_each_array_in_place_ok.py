# The twin: the helper saves numpy's generator state and puts it back before each array, so every
# array gets the same permutation; the head/tail split after it is random, not in stored order.
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

np.random.seed(7)
torch.manual_seed(7)

frame = pd.read_csv("winequality.csv", sep=";")
X = frame.drop(columns="quality").values.astype(np.float32)
y = (frame["quality"].values.clip(4, 8) - 4).astype(np.int64)


def shuffle_arrays(*arrays):
    """Shuffle rows in place (the file is sorted by quality)."""
    state = np.random.get_state()
    for a in arrays:
        np.random.set_state(state)
        np.random.shuffle(a)
    return arrays


X, y = shuffle_arrays(X, y)
n_val = int(0.2 * len(X))
X_val, y_val = X[:n_val], y[:n_val]
X_train, y_train = X[n_val:], y[n_val:]
mean, std = X_train.mean(0), X_train.std(0) + 1e-8
X_train, X_val = (X_train - mean) / std, (X_val - mean) / std

train_loader = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)), batch_size=64,
                          shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)), batch_size=512)
model = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(40):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
    print(epoch, correct / len(X_val))
