"""The twin of data_two_copies_split_redrawn.py: each split draws the same permutation, so the
training and validation parts of the two copies are disjoint: a generator created on the spot
with the same seed for each, the global generator re-seeded before each, and two generator
objects seeded alike, each drawn from once."""
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, random_split

train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor()])
eval_tf = transforms.ToTensor()


def loaders_fresh_generators(batch_size=128):
    trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=train_tf)
    valset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=eval_tf)
    train_subset, _ = random_split(trainset, [45000, 5000], generator=torch.Generator().manual_seed(42))
    _, val_subset = random_split(valset, [45000, 5000], generator=torch.Generator().manual_seed(42))
    train_loader = DataLoader(train_subset, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_subset, batch_size=batch_size)
    return train_loader, val_loader


def loaders_reseeded(batch_size=128):
    trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=train_tf)
    valset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=eval_tf)
    torch.manual_seed(0)
    train_part, _ = random_split(trainset, [0.9, 0.1])
    torch.manual_seed(0)
    _, val_part = random_split(valset, [0.9, 0.1])
    train_loader = DataLoader(train_part, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_part, batch_size=batch_size)
    return train_loader, val_loader


def loaders_two_generators(batch_size=128):
    trainset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=train_tf)
    valset = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=eval_tf)
    g_train = torch.Generator().manual_seed(7)
    g_val = torch.Generator().manual_seed(7)
    train_part, _ = random_split(trainset, [45000, 5000], generator=g_train)
    _, held_out = random_split(valset, [45000, 5000], generator=g_val)
    train_loader = DataLoader(train_part, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(held_out, batch_size=batch_size)
    return train_loader, val_loader


model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
train_loader, val_loader = loaders_fresh_generators()
for epoch in range(20):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / len(val_loader.dataset))
