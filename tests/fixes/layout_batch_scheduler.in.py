# A per-batch scheduler stepped before the optimizer: its comments move with it, except the one
# that explains the old order.
import torch
from torch import nn, optim

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = optim.AdamW(model.parameters(), lr=3e-4)
scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=3e-3, total_steps=10 * len(train_loader))
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    for step, (x, y) in enumerate(train_loader):
        # one-cycle schedule: one step per batch
        scheduler.step()  # first, so that the warm-up starts at once
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        if step % 100 == 0:
            print(f"{epoch} {step} {loss.item():.4f}")
