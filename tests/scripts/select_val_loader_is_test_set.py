"""The loaders come back from a helper as a tuple; the one called `val_loader` is built on the
CIFAR-10 test set (train=False), and the best weights are kept by its accuracy (FIT601)."""
import copy

import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as T
from torch.utils.data import DataLoader


def get_loaders(batch_size):
    tf = T.Compose([T.ToTensor(), T.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    train_ds = torchvision.datasets.CIFAR10("./data", train=True, download=True, transform=tf)
    test_ds = torchvision.datasets.CIFAR10("./data", train=False, download=True, transform=tf)
    train_loader = DataLoader(train_ds, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(test_ds, batch_size=256)
    return train_loader, val_loader


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += y.numel()
    return correct / total


def main():
    train_loader, val_loader = get_loaders(128)
    model = torchvision.models.resnet18(num_classes=10)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    criterion = nn.CrossEntropyLoss()
    best_acc, best_state = 0.0, None
    for epoch in range(30):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        val_acc = evaluate(model, val_loader)
        if val_acc > best_acc:  # FIT601
            best_acc = val_acc
            best_state = copy.deepcopy(model.state_dict())
    torch.save(best_state, "best.pt")


main()
