"""Index batching whose slice bounds are computed in the loop (`start = batch_idx * bs; end = start
+ bs`): still one step per batch, so the epoch-sized MultiStepLR decays per batch (FIT002)."""
import numpy as np
import torch
import torch.nn as nn

X = torch.tensor(np.load("X.npy"), dtype=torch.float32)
y = torch.tensor(np.load("y.npy"), dtype=torch.long)
model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Linear(64, 3))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
bs = 50
num_batches = len(X) // bs
for epoch in range(90):
    order = torch.randperm(len(X))
    X, y = X[order], y[order]
    for batch_idx in range(num_batches):
        start = batch_idx * bs
        end = start + bs
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(X[start:end]), y[start:end])
        loss.backward()
        optimizer.step()
        scheduler.step()  # FIT002
