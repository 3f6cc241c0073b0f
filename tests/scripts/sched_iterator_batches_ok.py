"""FixMatch-style step loop: each iteration takes the next labelled and unlabelled batch from
iterators over two loaders of different lengths (restarted when one runs out), so the loop over
`range(steps_per_epoch)` is the batch loop. The warm-up LambdaLR, sized in optimizer steps, is
stepped once per batch: correct (the loop's `steps_per_epoch` does not make it an epoch loop)."""
import math

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset

epochs, steps_per_epoch, warmup_steps = 30, 200, 500
labeled_loader = DataLoader(TensorDataset(torch.randn(400, 32), torch.randint(0, 10, (400,))),
                            batch_size=16, shuffle=True, drop_last=True)
unlabeled_loader = DataLoader(TensorDataset(torch.randn(6000, 32), torch.randn(6000, 32)),
                              batch_size=112, shuffle=True, drop_last=True)
model = nn.Sequential(nn.Linear(32, 64), nn.BatchNorm1d(64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, nesterov=True, weight_decay=5e-4)
total_steps = epochs * steps_per_epoch


def lr_lambda(step):
    if step < warmup_steps:
        return step / warmup_steps
    return 0.5 * (1 + math.cos(math.pi * (step - warmup_steps) / (total_steps - warmup_steps)))


scheduler = torch.optim.lr_scheduler.LambdaLR(optimizer, lr_lambda)


def train_one_epoch():
    model.train()
    labeled_iter = iter(labeled_loader)
    unlabeled_iter = iter(unlabeled_loader)
    for i in range(steps_per_epoch):
        try:
            x, y = next(labeled_iter)
        except StopIteration:
            labeled_iter = iter(labeled_loader)
            x, y = next(labeled_iter)
        try:
            u_weak, u_strong = next(unlabeled_iter)
        except StopIteration:
            unlabeled_iter = iter(unlabeled_loader)
            u_weak, u_strong = next(unlabeled_iter)
        optimizer.zero_grad()
        with torch.no_grad():
            probs = torch.softmax(model(u_weak), dim=1)
            confidence, pseudo = probs.max(dim=1)
            mask = confidence.ge(0.95).float()
        loss = F.cross_entropy(model(x), y) + (F.cross_entropy(model(u_strong), pseudo, reduction="none") * mask).mean()
        loss.backward()
        optimizer.step()
        scheduler.step()


for epoch in range(epochs):
    train_one_epoch()
