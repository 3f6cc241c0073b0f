"""A module of optimizer factories (`optimiser.py` beside the training script): the defaults are
never used in view, the training script passes its own rates (1e-4, 5e-4), so the high default says
nothing about what trains; and the call here passes a usual rate."""
import torch
import torch.nn as nn


def Adam(model, lr=0.1):
    return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)


def SGD(model, lr=0.01, momentum=0.9):
    return torch.optim.SGD(model.parameters(), lr=lr, momentum=momentum, weight_decay=1e-4)


def RMSprop(model, lr=0.5):
    return torch.optim.RMSprop(model.parameters(), lr=lr, weight_decay=1e-4)


if __name__ == "__main__":
    net = nn.Linear(10, 2)
    print(RMSprop(net, lr=1e-3))
