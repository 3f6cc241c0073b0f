"""The twin of select_previous_epoch_test_loss.py: the weights are saved when the loss on a
validation part of the training set falls below the previous epoch's, and the test set is measured
once at the end. Trap: the test loss compared with the previous epoch's the same way, only to print
a message."""
from pathlib import Path

import torch
from torch import nn
from torch.utils.data import DataLoader, random_split
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


def train(model, train_dataloader, val_dataloader, test_dataloader, optimizer, loss_fn, epochs, save_dir):
    prev_loss = float("inf")
    prev_test_loss = float("inf")
    for epoch in range(epochs):
        train_loss = train_step(model, train_dataloader, loss_fn, optimizer)
        val_loss = test_step(model, val_dataloader, loss_fn)
        if val_loss < prev_loss:
            torch.save(model.state_dict(), Path(save_dir) / "model.pth")
        prev_loss = val_loss
        test_loss = test_step(model, test_dataloader, loss_fn)
        if test_loss < prev_test_loss:
            print("test loss went down")
        prev_test_loss = test_loss
        print(f"epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f}")
    model.load_state_dict(torch.load(Path(save_dir) / "model.pth"))
    print("final test loss", test_step(model, test_dataloader, loss_fn))


tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
full_train = datasets.CIFAR10("data", train=True, download=True, transform=tf)
train_data, val_data = random_split(full_train, [45000, 5000])
test_data = datasets.CIFAR10("data", train=False, download=True, transform=tf)
model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
train(model, DataLoader(train_data, batch_size=64, shuffle=True), DataLoader(val_data, batch_size=256),
      DataLoader(test_data, batch_size=256), torch.optim.Adam(model.parameters(), lr=1e-3),
      nn.CrossEntropyLoss(), 10, "models")
