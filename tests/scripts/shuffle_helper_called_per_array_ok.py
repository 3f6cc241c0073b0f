"""Sign-language MNIST from CSV: features and labels are each put through a small shuffling helper
before the validation cut. The helper seeds a generator of its own on every call, so both arrays get the same permutation."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

def read_csv(path):
    frame = pd.read_csv(path)
    labels = frame.pop("label").to_numpy()
    return (frame.to_numpy().reshape(-1, 1, 28, 28) / 255.0).astype(np.float32), labels.astype(np.int64)


def shuffled(a, seed=7):
    rng = np.random.default_rng(seed)
    return a[rng.permutation(len(a))]


X, y = read_csv("sign_mnist_train.csv")
X, y = shuffled(X), shuffled(y)
n_val = len(X) // 10
train_set = TensorDataset(torch.from_numpy(X[n_val:]), torch.from_numpy(y[n_val:]))
val_set = TensorDataset(torch.from_numpy(X[:n_val]), torch.from_numpy(y[:n_val]))
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 25))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
    print(epoch, correct / len(val_set))
