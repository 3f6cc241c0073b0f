"""Evaluation written as one expression after training: a comprehension over slices of
X_val under no_grad, with the dropout model still in training mode (FIT201)."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 128)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x))))


data = np.load("digits.npz")
X_train = torch.tensor(data["X_train"], dtype=torch.float32)
y_train = torch.tensor(data["y_train"])
X_val = torch.tensor(data["X_val"], dtype=torch.float32)
y_val = torch.tensor(data["y_val"])

model = MLP()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
batch_size = 64
model.train()
for epoch in range(20):
    perm = torch.randperm(X_train.shape[0])
    for start in range(0, X_train.shape[0], batch_size):
        idx = perm[start:start + batch_size]
        optimizer.zero_grad()
        loss = F.cross_entropy(model(X_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        out = torch.cat([model(X_val[j:j + 64]) for j in range(0, len(X_val), 64)])  # FIT201
    acc = (out.argmax(1) == y_val).float().mean().item()
    print(f"epoch {epoch} val acc {acc:.3f}")
