"""A 2017-style CIFAR script (Python 3 here) that keeps its numbers in a `state` dict built from the
command-line arguments: the nested `test()` writes `state['test_accuracy']` from a loop over the
CIFAR test set, and the main loop saves the weights whenever that entry beats the best so far. The
metric is an entry of a dict written in another function; the checkpoint is chosen on the test set."""
import argparse

import torch
import torch.nn.functional as F
import torchvision.datasets as dset
import torchvision.transforms as transforms
from torch import nn

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=300)
parser.add_argument("--learning_rate", type=float, default=0.1)
args = parser.parse_args()
state = {k: v for k, v in args._get_kwargs()}

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))])
train_data = dset.CIFAR10("data", train=True, transform=tf, download=True)
test_data = dset.CIFAR10("data", train=False, transform=tf, download=True)
train_loader = torch.utils.data.DataLoader(train_data, batch_size=128, shuffle=True)
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
    state["train_loss"] = loss.item()


def test():
    net.eval()
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            correct += (net(data).argmax(1) == target).sum().item()
    state["test_accuracy"] = correct / len(test_loader.dataset)


best_accuracy = 0.0
for epoch in range(args.epochs):
    state["epoch"] = epoch
    train()
    test()
    if state["test_accuracy"] > best_accuracy:  # expect: FIT601
        best_accuracy = state["test_accuracy"]
        torch.save(net.state_dict(), "model.pytorch")
    print(state)
