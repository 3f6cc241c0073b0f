"""The same students trained in the right order: each scheduler is stepped right after its own
optimizer, per batch, as a LambdaLR sized in iterations should be; nothing to report."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader

n = 3
students = [nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10)) for _ in range(n)]
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
epochs = 30
total_steps = epochs * len(train_loader)
optimizers = [optim.SGD(students[j].parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
              for j in range(n)]
schedulers = [optim.lr_scheduler.LambdaLR(optimizers[j], lambda step: 1 - step / total_steps) for j in range(n)]
criterion = nn.CrossEntropyLoss()

for epoch in range(epochs):
    for x, y in train_loader:
        for j in range(n):
            optimizers[j].zero_grad()
            loss = criterion(students[j](x), y)
            loss.backward()
            optimizers[j].step()
            schedulers[j].step()
