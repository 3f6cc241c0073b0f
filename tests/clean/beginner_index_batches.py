"""A beginner's top-level loop: tensors in memory, one random permutation per epoch, batches by index."""
import numpy as np
import torch
import torch.nn as nn

data = np.load("features.npy").astype(np.float32)
labels = np.load("labels.npy").astype(np.int64)
perm = np.random.permutation(len(data))
data, labels = data[perm], labels[perm]
n_train = int(0.8 * len(data))
X_train, y_train = torch.from_numpy(data[:n_train]), torch.from_numpy(labels[:n_train])
X_val, y_val = torch.from_numpy(data[n_train:]), torch.from_numpy(labels[n_train:])
mean, std = X_train.mean(0), X_train.std(0) + 1e-8
X_train, X_val = (X_train - mean) / std, (X_val - mean) / std

model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 2))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
batch_size = 32

for epoch in range(100):
    model.train()
    order = torch.randperm(len(X_train))
    running = 0.0
    for i in range(0, len(X_train), batch_size):
        idx = order[i:i + batch_size]
        xb, yb = X_train[idx], y_train[idx]
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
        running += loss.item() * len(idx)
    model.eval()
    with torch.no_grad():
        val_logits = model(X_val)
        val_acc = (val_logits.argmax(1) == y_val).float().mean().item()
    if epoch % 10 == 0:
        print(f"epoch {epoch} train loss {running / len(X_train):.4f} val acc {val_acc:.3f}")
