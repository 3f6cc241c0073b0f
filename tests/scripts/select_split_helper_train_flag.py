"""A dataset helper called once per split, `build_dataset(root, train=False)`, hands its flag on to
CIFAR-100: the loader named `val_loader` holds the published test split, and the best checkpoint
is chosen on it."""
import torch
import torch.nn as nn
import torchvision.transforms as T
from torch.utils.data import DataLoader
from torchvision import datasets, models


def build_dataset(root, train=True):
    if train:
        transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])
    else:
        transform = T.ToTensor()
    return datasets.CIFAR100(root=root, train=train, transform=transform, download=True)


train_dataset = build_dataset("data", train=True)
val_dataset = build_dataset("data", train=False)
train_loader = DataLoader(train_dataset, batch_size=128, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=256)

net = models.resnet18(num_classes=100)
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
best_loss = float("inf")
for epoch in range(100):
    net.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        criterion(net(inputs), labels).backward()
        optimizer.step()
    net.eval()
    val_loss = 0.0
    with torch.no_grad():
        for inputs, labels in val_loader:
            val_loss += criterion(net(inputs), labels).item()
    val_loss /= len(val_loader)
    if val_loss < best_loss:  # expect: FIT601
        best_loss = val_loss
        torch.save(net.state_dict(), "best.pth")
