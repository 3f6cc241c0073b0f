"""MNIST MLP with an exponential moving average of the weights kept in a deep copy of the model;
the loop zeroes the trained model's gradients before each backward pass."""
import copy

import torch
import torch.nn as nn
import torch.nn.functional as F

EMA_DECAY = 0.999


def ema_update(ema, model, decay):
    with torch.no_grad():
        for pe, pm in zip(ema.parameters(), model.parameters()):
            pe.mul_(decay).add_(pm, alpha=1 - decay)


def main(X, y, epochs=10, batch_size=128):
    model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
    ema_model = copy.deepcopy(model)
    for p in ema_model.parameters():
        p.requires_grad_(False)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    n = len(X)
    for epoch in range(epochs):
        model.train()
        perm = torch.randperm(n)
        for i in range(0, n, batch_size):
            idx = perm[i:i + batch_size]
            loss = F.cross_entropy(model(X[idx]), y[idx])
            model.zero_grad()
            loss.backward()
            optimizer.step()
            ema_update(ema_model, model, EMA_DECAY)
