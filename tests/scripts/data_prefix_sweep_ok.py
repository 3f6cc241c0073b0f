"""Sweeps, not batches: a learning curve that trains a fresh model on a growing prefix of the
shuffled training rows (`X_train[:n]`), and a spectral model built on the first `k` eigenvectors
(`U[:, :k]`) for each `k`. The slices grow with the loop counter from a fixed start; neither loop
walks the data in stored order one batch at a time: nothing to report."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

features = np.load("features.npy")
labels = np.load("labels.npy")
X_train, X_val, y_train, y_val = train_test_split(features, labels, test_size=0.2, shuffle=True, random_state=0)
X_train, y_train = torch.tensor(X_train, dtype=torch.float32), torch.tensor(y_train)
X_val, y_val = torch.tensor(X_val, dtype=torch.float32), torch.tensor(y_val)


def fit(model, X, y, epochs=200):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=5e-4)
    for epoch in range(epochs):
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X), y)
        loss.backward()
        optimizer.step()
    return model


def accuracy(model, X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


for n in range(100, len(X_train), 100):
    model = fit(nn.Sequential(nn.Linear(X_train.shape[1], 32), nn.ReLU(), nn.Linear(32, 4)), X_train[:n], y_train[:n])
    print(n, accuracy(model, X_val, y_val))

laplacian = torch.from_numpy(np.load("laplacian.npy")).float()
_, U = torch.linalg.eigh(laplacian)
for k in range(1, 10):
    model = fit(nn.Sequential(nn.Linear(k, 4)), U[:, :k], y_train[: len(U)])
    print(k, accuracy(model, U[:, :k], y_train[: len(U)]))
