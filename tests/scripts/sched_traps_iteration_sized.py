"""Trap script for FIT002: every scheduler here is stepped at the cadence it is sized for.

Epoch schedulers sized in iterations and stepped per batch, a restart schedule stepped with a
fractional epoch, a step behind a once-per-epoch guard, a step-counted while loop, per-batch
schedulers stepped per batch, epoch schedulers stepped per epoch in the caller.
"""
import math

import torch
import torch.nn as nn
from torch.optim import SGD, AdamW
from torch.optim.lr_scheduler import (
    CosineAnnealingLR,
    CosineAnnealingWarmRestarts,
    CyclicLR,
    ExponentialLR,
    LambdaLR,
    MultiStepLR,
    OneCycleLR,
    StepLR,
)
from torch.utils.data import DataLoader, TensorDataset

dataset = TensorDataset(torch.randn(4096, 32), torch.randint(0, 4, (4096,)))
train_loader = DataLoader(dataset, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 4))
criterion = nn.CrossEntropyLoss()
epochs = 30


def train_step(optimizer, x, y):
    optimizer.zero_grad()
    loss = criterion(model(x), y)
    loss.backward()
    optimizer.step()
    return loss.item()


def cosine_per_iteration():
    optimizer = SGD(model.parameters(), lr=0.1, momentum=0.9)
    scheduler = CosineAnnealingLR(optimizer, T_max=epochs * len(train_loader))
    for epoch in range(epochs):
        for x, y in train_loader:
            train_step(optimizer, x, y)
            scheduler.step()


def steplr_per_iteration():
    optimizer = SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=len(train_loader) * 10, gamma=0.1)
    milestones = MultiStepLR(optimizer, milestones=[100000, 150000], gamma=0.1)
    for epoch in range(epochs):
        for x, y in train_loader:
            train_step(optimizer, x, y)
            scheduler.step()
            milestones.step()


def warm_restarts():
    optimizer = SGD(model.parameters(), lr=0.05)
    scheduler = CosineAnnealingWarmRestarts(optimizer, T_0=10, T_mult=2)
    iters = len(train_loader)
    for epoch in range(epochs):
        for i, (x, y) in enumerate(train_loader):
            train_step(optimizer, x, y)
            scheduler.step(epoch + i / iters)


def guarded_epoch_step():
    optimizer = SGD(model.parameters(), lr=0.1)
    scheduler = StepLR(optimizer, step_size=10, gamma=0.5)
    steps_per_epoch = len(train_loader)
    global_step = 0
    for epoch in range(epochs):
        for x, y in train_loader:
            train_step(optimizer, x, y)
            global_step += 1
            if global_step % steps_per_epoch == 0:
                scheduler.step()


def step_counted(max_steps=20000, warmup_steps=500):
    optimizer = AdamW(model.parameters(), lr=3e-4)

    def lr_lambda(step):
        if step < warmup_steps:
            return step / warmup_steps
        progress = (step - warmup_steps) / max(1, max_steps - warmup_steps)
        return 0.5 * (1.0 + math.cos(math.pi * progress))

    warmup = LambdaLR(optimizer, lr_lambda)
    decay = CosineAnnealingLR(optimizer, T_max=max_steps)
    global_step = 0
    while global_step < max_steps:
        for x, y in train_loader:
            train_step(optimizer, x, y)
            warmup.step()
            decay.step()
            global_step += 1
            if global_step >= max_steps:
                break


def one_cycle_per_batch():
    optimizer = SGD(model.parameters(), lr=0.01, momentum=0.9)
    scheduler = OneCycleLR(optimizer, max_lr=0.1, epochs=epochs, steps_per_epoch=len(train_loader))
    cyclic = CyclicLR(optimizer, base_lr=0.001, max_lr=0.1, step_size_up=4 * len(train_loader))
    for epoch in range(epochs):
        for x, y in train_loader:
            train_step(optimizer, x, y)
            scheduler.step()
            cyclic.step()


def train_epoch(optimizer):
    model.train()
    for x, y in train_loader:
        train_step(optimizer, x, y)


def epoch_schedulers_in_caller():
    optimizer = SGD(model.parameters(), lr=0.1)
    scheduler = MultiStepLR(optimizer, milestones=[10, 20], gamma=0.1)
    decay = ExponentialLR(optimizer, gamma=0.95)
    per_epoch_warmup = LambdaLR(optimizer, lambda epoch: 0.1 ** (epoch // 10))
    for epoch in range(epochs):
        train_epoch(optimizer)
        scheduler.step()
        decay.step()
        per_epoch_warmup.step()


if __name__ == "__main__":
    cosine_per_iteration()
    steplr_per_iteration()
    warm_restarts()
    guarded_epoch_step()
    step_counted()
    one_cycle_per_batch()
    epoch_schedulers_in_caller()
