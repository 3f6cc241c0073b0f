"""The same schedule stepped once per epoch, after the batch loop, as a horizon in epochs wants;
and an iteration-counted loop (`for it in range(max_steps)` drawing batches with `next()`) whose
per-step schedule is sized with that count: nothing to report."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

max_iter = 150
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_iter)
for epoch in range(max_iter):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    scheduler.step()

max_steps = 20000
step_scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_steps)
batches = iter(train_loader)
for it in range(max_steps):
    x, y = next(batches)
    optimizer.zero_grad()
    nn.functional.cross_entropy(model(x), y).backward()
    optimizer.step()
    step_scheduler.step()
