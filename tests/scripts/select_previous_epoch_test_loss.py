"""A modular-style engine: `train()` runs `train_step` and `test_step` each epoch and saves the
weights whenever the test loss is lower than the previous epoch's. The record is not a best so far
(it is overwritten after the comparison, `prev_loss = test_loss`, whatever the comparison said) and
nothing names it "best", but the checkpoint kept is still chosen on the test split."""
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def train_step(model, dataloader, loss_fn, optimizer):
    model.train()
    total = 0.0
    for X, y in dataloader:
        loss = loss_fn(model(X), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(dataloader)


def test_step(model, dataloader, loss_fn):
    model.eval()
    total = 0.0
    with torch.inference_mode():
        for X, y in dataloader:
            total += loss_fn(model(X), y).item()
    return total / len(dataloader)


def train(model, train_dataloader, test_dataloader, optimizer, loss_fn, epochs, save_dir):
    prev_loss = float("inf")
    for epoch in range(epochs):
        train_loss = train_step(model, train_dataloader, loss_fn, optimizer)
        test_loss = test_step(model, test_dataloader, loss_fn)
        if test_loss < prev_loss:  # expect: FIT601
            torch.save(model.state_dict(), Path(save_dir) / "model.pth")
        prev_loss = test_loss
        print(f"epoch {epoch}: train {train_loss:.4f} test {test_loss:.4f}")


tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
train_data = datasets.CIFAR10("data", train=True, download=True, transform=tf)
test_data = datasets.CIFAR10("data", train=False, download=True, transform=tf)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
train(model, DataLoader(train_data, batch_size=64, shuffle=True), DataLoader(test_data, batch_size=256),
      torch.optim.Adam(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(), 10, "models")
