"""Gradients never zeroed, SGD 0.05 (reference run no_zero_grad)."""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.05)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)

for epoch in range(40):
    for xb, yb in train_loader:
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()  # FIT501
