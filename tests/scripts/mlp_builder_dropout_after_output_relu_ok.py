"""Shuttle statlog (7 classes) with the usual tabular MLP builders, done right: the activation
(a parameter, `act=nn.ReLU`, or written out) and the dropout after it are added only between
hidden layers, so the last Linear's output reaches CrossEntropyLoss as raw logits. One caller
passes `act=nn.Tanh`, so the first builder's activation is not known to be a ReLU either."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset

CONFIG = {"csv": "data/shuttle.csv", "hidden": [256, 128], "dropout": 0.1, "epochs": 30, "lr": 1e-3}


def mlp(dims, act=nn.ReLU, dropout=0.0):
    layers = []
    for i, (d_in, d_out) in enumerate(zip(dims[:-1], dims[1:])):
        layers.append(nn.Linear(d_in, d_out))
        if i < len(dims) - 2:
            layers.append(act())
            if dropout:
                layers.append(nn.Dropout(dropout))
    return nn.Sequential(*layers)


def sizes_mlp(sizes, dropout=0.1):
    layers = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        layers.append(nn.Linear(n_in, n_out))
        if n_out != sizes[-1]:
            layers += [nn.ReLU(), nn.Dropout(dropout)]
    return nn.Sequential(*layers)


def loaders(cfg):
    df = pd.read_csv(cfg["csv"])
    y = df.pop("class").values.astype(np.int64) - 1
    X = df.values.astype(np.float32)
    X_tr, X_va, y_tr, y_va = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
    scaler = StandardScaler().fit(X_tr)
    train = TensorDataset(torch.from_numpy(scaler.transform(X_tr).astype(np.float32)), torch.from_numpy(y_tr))
    val = TensorDataset(torch.from_numpy(scaler.transform(X_va).astype(np.float32)), torch.from_numpy(y_va))
    return DataLoader(train, batch_size=256, shuffle=True), DataLoader(val, batch_size=1024)


def fit(model, train_loader, val_loader, cfg):
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg["lr"], weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(cfg["epochs"]):
        model.train()
        for xb, yb in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(xb), yb)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for xb, yb in val_loader:
                correct += (model(xb).argmax(1) == yb).sum().item()
        print(f"epoch {epoch}: val acc {correct / len(val_loader.dataset):.4f}")


def main():
    train_loader, val_loader = loaders(CONFIG)
    n_features = train_loader.dataset.tensors[0].shape[1]
    fit(mlp([n_features, *CONFIG["hidden"], 7], dropout=CONFIG["dropout"]), train_loader, val_loader, CONFIG)
    fit(sizes_mlp([n_features, *CONFIG["hidden"], 7]), train_loader, val_loader, CONFIG)
    fit(mlp([n_features, 64, 7], act=nn.Tanh), train_loader, val_loader, CONFIG)


if __name__ == "__main__":
    main()
