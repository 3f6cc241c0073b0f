"""CIFAR-10 loaders built by one comprehension over written-out `(name, dataset)` pairs: the pair
named "val" holds the published test split (`train=False`), and the checkpoint is chosen on
`loaders["val"]` (FIT601)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.25, 0.25, 0.25))])
train_set = datasets.CIFAR10("data", train=True, download=True, transform=tf)
test_set = datasets.CIFAR10("data", train=False, download=True, transform=tf)
loaders = {name: DataLoader(ds, batch_size=128, shuffle=(name == "train"))
           for name, ds in [("train", train_set), ("val", test_set)]}

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Dropout(0.2), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
best = 0.0
for epoch in range(30):
    model.train()
    for x, y in loaders["train"]:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loaders["val"]:
            correct += (model(x).argmax(1) == y).sum().item()
    acc = correct / len(loaders["val"].dataset)
    if acc > best:  # expect: FIT601
        best = acc
        torch.save(model.state_dict(), "best.pt")
