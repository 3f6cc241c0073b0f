"""The twin of select_snapshot_helper.py: the snapshot helper keeps the best weights on a
validation part carved from the MNIST training set; the test set is measured once at the end.
Trap: a memory snapshot taken when the test accuracy is the highest so far is not a checkpoint
(`tracemalloc.take_snapshot()` is not this project's save helper: it is only printed)."""
import tracemalloc

import torch
import torch.nn.functional as F
from torch import nn, optim
from torch.utils.data import random_split
from torchvision import datasets, transforms

from utee import misc

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
full = datasets.MNIST("data", train=True, download=True, transform=tf)
train_part, val_part = random_split(full, [55000, 5000])
train_loader = torch.utils.data.DataLoader(train_part, batch_size=200, shuffle=True)
val_loader = torch.utils.data.DataLoader(val_part, batch_size=200)
test_loader = torch.utils.data.DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=200)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)


def accuracy(loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in loader:
            correct += model(data).argmax(1).eq(target).sum().item()
    return 100.0 * correct / len(loader.dataset)


tracemalloc.start()
best_acc, best_test, old_file = 0, 0, None
for epoch in range(40):
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(data), target).backward()
        optimizer.step()
    acc = accuracy(val_loader)
    if acc > best_acc:
        new_file = f"log/best-{epoch}.pth"
        misc.model_snapshot(model, new_file, old_file=old_file, verbose=True)
        best_acc = acc
        old_file = new_file
    test_acc = accuracy(test_loader)
    if test_acc > best_test:
        best_test = test_acc
        print(tracemalloc.take_snapshot().statistics("lineno")[:3])
print(accuracy(test_loader))
