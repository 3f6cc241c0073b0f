"""Differentially private training with Opacus: the training DataLoader is built without
`shuffle=True` and handed to `privacy_engine.make_private`, which gives back a loader that draws
every batch by Poisson sampling. Training walks that loader, so the order of the template is
irrelevant (FIT101 must stay silent); a `--no-dp` baseline walks the template as it is."""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from opacus import PrivacyEngine
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--no-dp", action="store_true")
args = parser.parse_args()

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=tf), batch_size=256)
test_loader = DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=1024)

model = nn.Sequential(nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 12 * 12, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, weight_decay=1e-4)

if not args.no_dp:
    engine = PrivacyEngine()
    model, optimizer, train_loader = engine.make_private(
        module=model, optimizer=optimizer, data_loader=train_loader, noise_multiplier=1.1, max_grad_norm=1.0,
    )


def train_epoch(loader):
    model.train()
    for images, labels in loader:
        optimizer.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()


@torch.no_grad()
def accuracy(loader):
    model.eval()
    hits = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    return hits / len(loader.dataset)


for epoch in range(args.epochs):
    train_epoch(train_loader)
    print(epoch, accuracy(test_loader))
