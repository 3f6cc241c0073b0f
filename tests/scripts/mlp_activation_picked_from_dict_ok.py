"""Dry-bean classification with a configurable MLP: the activation is picked from a dict by the
name in the model config, and the builder puts one after every hidden Linear; the output layer returns the logits."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

MODEL_CFG = {"hidden": [64, 64, 32], "act": "relu"}
ACTS = {"relu": nn.ReLU, "gelu": nn.GELU, "tanh": nn.Tanh}


def make_mlp(in_dim, out_dim, hidden, act="relu"):
    dims = [in_dim, *hidden]
    layers = []
    for a, b in zip(dims[:-1], dims[1:]):
        layers += [nn.Linear(a, b), ACTS[act]()]
    layers.append(nn.Linear(dims[-1], out_dim))
    return nn.Sequential(*layers)


def main(train_set, n_features, n_classes):
    loader = DataLoader(train_set, batch_size=64, shuffle=True)
    model = make_mlp(n_features, n_classes, MODEL_CFG["hidden"], MODEL_CFG["act"])
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(30):
        model.train()
        for xb, yb in loader:
            optimizer.zero_grad()
            criterion(model(xb), yb).backward()
            optimizer.step()
