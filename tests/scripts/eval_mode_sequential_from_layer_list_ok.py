"""The same MLP without dropout or batch-norm in its list of layers: its mode changes nothing, so the
validation pass without model.eval() measures the real model."""
import numpy as np
import torch
import torch.nn as nn


def make_model(n_features, n_classes, hidden=(256, 128)):
    layers = []
    d = n_features
    for h in hidden:
        layers += [nn.Linear(d, h), nn.ReLU()]
        d = h
    layers.append(nn.Linear(d, n_classes))
    return nn.Sequential(*layers)


data = np.load("features.npz")
X_train, y_train = torch.tensor(data["X_train"]).float(), torch.tensor(data["y_train"]).long()
X_val, y_val = torch.tensor(data["X_val"]).float(), torch.tensor(data["y_val"]).long()

model = make_model(X_train.shape[1], 4)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
batch_size = 64
for epoch in range(30):
    model.train()
    perm = torch.randperm(len(X_train))
    for i in range(0, len(X_train), batch_size):
        idx = perm[i:i + batch_size]
        optimizer.zero_grad()
        loss = criterion(model(X_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        val_acc = (model(X_val).argmax(1) == y_val).float().mean().item()
    print(f"epoch {epoch}: loss {loss.item():.4f} val acc {val_acc:.4f}")
