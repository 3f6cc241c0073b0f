"""An early-stopping helper class: `stopper.should_stop(test_loss)` counts the epochs without
improvement of the test loss, so the stopping epoch is chosen on the test set (FIT601, at the call)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class EarlyStopper:
    def __init__(self, patience=5):
        self.patience = patience
        self.counter = 0
        self.best = float("inf")

    def should_stop(self, loss):
        if loss < self.best:
            self.best = loss
            self.counter = 0
        else:
            self.counter += 1
        return self.counter >= self.patience


def evaluate(model, loader):
    model.eval()
    total, correct, loss = 0, 0, 0.0
    with torch.no_grad():
        for x, y in loader:
            out = model(x)
            loss += F.cross_entropy(out, y, reduction="sum").item()
            correct += (out.argmax(1) == y).sum().item()
            total += len(y)
    return loss / total, correct / total


tf = transforms.ToTensor()
train_loader = DataLoader(datasets.KMNIST("data", train=True, download=True, transform=tf), batch_size=64, shuffle=True)
test_loader = DataLoader(datasets.KMNIST("data", train=False, download=True, transform=tf), batch_size=512)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
stopper = EarlyStopper(patience=3)
for epoch in range(100):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(x), y).backward()
        optimizer.step()
    test_loss, test_acc = evaluate(model, test_loader)
    if stopper.should_stop(test_loss):  # FIT601
        break
