"""A star import of the project's own module: its DataLoader may be anything (here a wrapper
that shuffles by default), so nothing is said about it."""
import torch
import torch.nn as nn
from mydata import *

train_loader = DataLoader(load_split("train"), batch_size=64)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
