"""Adversarial training with the schedule chosen by a command-line option (the fast-adversarial
idiom): a MultiStepLR sized in epochs for `--lr-schedule multistep`, a OneCycleLR sized in batches
for `--lr-schedule cyclic`, each stepped under its own option: the OneCycleLR per batch, the
MultiStepLR per epoch. Each step is judged with the scheduler its own option builds (not the last
one the file binds to the name): nothing to report."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

parser = argparse.ArgumentParser()
parser.add_argument("--lr-schedule", default="cyclic", choices=["cyclic", "multistep"])
parser.add_argument("--epochs", type=int, default=30)
args = parser.parse_args()

model = nn.Sequential(nn.Flatten(), nn.Linear(3072, 512), nn.ReLU(), nn.Dropout(0.3), nn.Linear(512, 10))
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
if args.lr_schedule == "multistep":
    scheduler = torch.optim.lr_scheduler.MultiStepLR(opt, milestones=[15, 25], gamma=0.1)
elif args.lr_schedule == "cyclic":
    scheduler = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=0.2, total_steps=args.epochs * len(train_loader))

for epoch in range(args.epochs):
    model.train()
    for x, y in train_loader:
        delta = torch.zeros_like(x).uniform_(-8 / 255, 8 / 255).requires_grad_(True)
        F.cross_entropy(model(x + delta), y).backward()
        delta = (delta + 2 / 255 * delta.grad.sign()).clamp(-8 / 255, 8 / 255).detach()
        opt.zero_grad()
        loss = F.cross_entropy(model(x + delta), y)
        loss.backward()
        opt.step()
        if args.lr_schedule == "cyclic":
            scheduler.step()
    if args.lr_schedule == "multistep":
        scheduler.step()
