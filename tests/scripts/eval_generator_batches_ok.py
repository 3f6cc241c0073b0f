"""The twin of eval_generator_batches.py: model.eval() before the validation pass."""
import numpy as np
import torch
import torch.nn as nn

X_train = np.load("X_train.npy").astype(np.float32)
y_train = np.load("y_train.npy").astype(np.int64)
X_val = np.load("X_val.npy").astype(np.float32)
y_val = np.load("y_val.npy").astype(np.int64)


def batch_generator(X, y, batch_size, shuffle=False):
    idx = np.random.permutation(len(X)) if shuffle else np.arange(len(X))
    for start in range(0, len(X), batch_size):
        sel = idx[start:start + batch_size]
        yield torch.from_numpy(X[sel]), torch.from_numpy(y[sel])


model = nn.Sequential(nn.Linear(40, 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Linear(128, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for xb, yb in batch_generator(X_train, y_train, 64, shuffle=True):
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    val_loss = 0.0
    model.eval()
    with torch.no_grad():
        for xb, yb in batch_generator(X_val, y_val, 256):
            val_loss += criterion(model(xb), yb).item()
    print(epoch, val_loss)
