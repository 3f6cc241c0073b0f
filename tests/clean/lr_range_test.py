"""A learning-rate range test: SGD starting at 1e-7, the rate multiplied every batch by an
exponential schedule until the loss explodes; the curve is plotted to pick the rate."""
import math

import matplotlib.pyplot as plt
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
start_lr, end_lr, num_steps = 1e-7, 10.0, 200
optimizer = torch.optim.SGD(model.parameters(), lr=start_lr, momentum=0.9)
scheduler = torch.optim.lr_scheduler.ExponentialLR(optimizer, gamma=(end_lr / start_lr) ** (1 / num_steps))

rates, losses, best = [], [], float("inf")
model.train()
for step, (images, labels) in enumerate(train_loader):
    optimizer.zero_grad()
    loss = F.cross_entropy(model(images), labels)
    loss.backward()
    optimizer.step()
    rates.append(scheduler.get_last_lr()[0])
    losses.append(loss.item())
    scheduler.step()
    best = min(best, loss.item())
    if step >= num_steps or not math.isfinite(loss.item()) or loss.item() > 4 * best:
        break

plt.semilogx(rates, losses)
plt.xlabel("learning rate")
plt.ylabel("loss")
plt.savefig("lr_range_test.png")
