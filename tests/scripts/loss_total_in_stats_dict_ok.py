"""Regression MLP batched by hand from a fresh permutation each epoch; the epoch's running loss
is kept in a stats dict, and the loss value (`.item()`) is added to it."""
import torch
import torch.nn as nn


def train_epoch(model, X_tr, y_tr, optimizer, loss_fn, batch_size=256):
    model.train()
    stats = {"loss": 0.0, "n": 0}
    order = torch.randperm(len(X_tr))
    for start in range(0, len(order), batch_size):
        idx = order[start:start + batch_size]
        loss = loss_fn(model(X_tr[idx]).squeeze(-1), y_tr[idx])
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        stats["loss"] += loss.item() * len(idx)
        stats["n"] += len(idx)
    return stats["loss"] / stats["n"]


def main(X_tr, y_tr, epochs=50):
    model = nn.Sequential(nn.Linear(X_tr.shape[1], 64), nn.ReLU(), nn.Linear(64, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    for epoch in range(epochs):
        print(epoch, float(train_epoch(model, X_tr, y_tr, optimizer, nn.MSELoss())))
