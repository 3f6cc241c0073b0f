"""Keyword dicts for the loaders, completed after they are built: a helper that shuffles when its
caller asks (the default), and a script that sets the workers per device with `update` and the
shuffling for every device with an item store."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms


def get_loaders(args, shuffle=True):
    train_kwargs = {"batch_size": args.batch_size, "num_workers": 0}
    test_kwargs = {"batch_size": args.test_batch_size, "num_workers": 0}
    if shuffle:
        train_kwargs.update({"shuffle": True})
    else:
        train_kwargs.update({"shuffle": False})
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.2860,), (0.3530,))])
    if args.dataset == "fashion":
        train_set = datasets.FashionMNIST("data", train=True, download=True, transform=transform)
        test_set = datasets.FashionMNIST("data", train=False, download=True, transform=transform)
    else:
        train_set = datasets.KMNIST("data", train=True, download=True, transform=transform)
        test_set = datasets.KMNIST("data", train=False, download=True, transform=transform)
    train_loader = torch.utils.data.DataLoader(train_set, **train_kwargs)
    test_loader = torch.utils.data.DataLoader(test_set, **test_kwargs)
    return train_loader, test_loader


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3, padding=1)
        self.drop = nn.Dropout(0.3)
        self.fc = nn.Linear(16 * 14 * 14, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(self.drop(torch.flatten(x, 1)))


def train_epoch(model, loader, optimizer, device):
    model.train()
    for data, target in loader:
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader, device):
    model.eval()
    correct = 0
    for data, target in loader:
        data, target = data.to(device), target.to(device)
        correct += (model(data).argmax(1) == target).sum().item()
    return correct / len(loader.dataset)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dataset", default="fashion")
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--test-batch-size", type=int, default=1000)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args()
    use_cuda = torch.cuda.is_available()
    device = torch.device("cuda" if use_cuda else "cpu")

    train_loader, test_loader = get_loaders(args)

    # a second run over the full training set, its loader set up by hand
    full_kwargs = {"batch_size": args.batch_size}
    if use_cuda:
        full_kwargs.update({"num_workers": 2, "pin_memory": True})
    full_kwargs["shuffle"] = True
    full_set = datasets.FashionMNIST("data", train=True, transform=transforms.ToTensor())
    full_loader = torch.utils.data.DataLoader(full_set, **full_kwargs)

    model = Net().to(device)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(args.epochs):
        train_epoch(model, train_loader, optimizer, device)
        print(epoch, evaluate(model, test_loader, device))
    for epoch in range(args.epochs):
        train_epoch(model, full_loader, optimizer, device)


if __name__ == "__main__":
    main()
