"""Dropout and batch-norm, evaluated in training mode (reference run missing_eval)."""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(64, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=4)


def train_one_epoch():
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()


def validate():
    correct = 0
    with torch.no_grad():
        for xb, yb in val_loader:  # FIT201
            correct += (model(xb).argmax(1) == yb).sum().item()
    return correct


for epoch in range(40):
    train_one_epoch()
    validate()
