"""Batches indexed through slices of `np.arange(n)`: an index list in stored order, never shuffled,
so every epoch walks the arrays in the same order (FIT101)."""
import numpy as np
import torch
import torch.nn as nn

features = np.load("features.npy").astype(np.float32)
labels = np.load("labels.npy").astype(np.int64)
model = nn.Sequential(nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 4))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
order = np.arange(len(features))
batch = 50
for epoch in range(30):
    for b in range(len(features) // batch):
        sel = order[b * batch:(b + 1) * batch]
        x = torch.from_numpy(features[sel])  # FIT101
        y = torch.from_numpy(labels[sel])
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
