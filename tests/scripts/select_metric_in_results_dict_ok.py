"""The twin of select_metric_in_results_dict.py: the `state` dict now holds the accuracy on a
validation part of the training set, and the checkpoint is chosen on that entry. Traps: the test
accuracy is written to the same dict and only printed, and an entry named `val_accuracy` is
compared whose values the file writes from the validation loop (its name agrees with its data)."""
import argparse

import torch
import torch.nn.functional as F
import torchvision.datasets as dset
import torchvision.transforms as transforms
from torch import nn
from torch.utils.data import random_split

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--learning_rate", type=float, default=0.1)
args = parser.parse_args()
state = {k: v for k, v in args._get_kwargs()}

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))])
full = dset.CIFAR10("data", train=True, transform=tf, download=True)
train_part, val_part = random_split(full, [45000, 5000], generator=torch.Generator().manual_seed(0))
test_data = dset.CIFAR10("data", train=False, transform=tf, download=True)
train_loader = torch.utils.data.DataLoader(train_part, batch_size=128, shuffle=True)
val_loader = torch.utils.data.DataLoader(val_part, batch_size=256)
test_loader = torch.utils.data.DataLoader(test_data, batch_size=256)

net = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                    nn.Flatten(), nn.Linear(32, 10))
optimizer = torch.optim.SGD(net.parameters(), state["learning_rate"], momentum=0.9)


def train():
    net.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(net(data), target)
        loss.backward()
        optimizer.step()


def accuracy(loader):
    net.eval()
    correct = 0
    with torch.no_grad():
        for data, target in loader:
            correct += (net(data).argmax(1) == target).sum().item()
    return correct / len(loader.dataset)


best_accuracy = 0.0
for epoch in range(args.epochs):
    train()
    state["val_accuracy"] = accuracy(val_loader)
    state["test_accuracy"] = accuracy(test_loader)
    if state["val_accuracy"] > best_accuracy:
        best_accuracy = state["val_accuracy"]
        torch.save(net.state_dict(), "model.pytorch")
    print(state)
