"""The flag-driven epoch functions of eval_flagged_epoch.py done right: gradients switched by the
flag inside the function, or the evaluation call under no_grad; and a flag that is true at every
call (training only); the evaluation call under set_grad_enabled(False)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=tf), batch_size=64, shuffle=True)
val_loader = DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=256)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)


def run_epoch(loader, train=True):
    model.train(train)
    total_loss = 0.0
    with torch.set_grad_enabled(train):
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            if train:
                optimizer.zero_grad()
                loss.backward()
                optimizer.step()
            total_loss += loss.item() * len(y)
    return total_loss / len(loader.dataset)


def epoch(loader, model, opt=None):
    total_err = 0.0
    for X, y in loader:
        yp = model(X)
        loss = nn.CrossEntropyLoss()(yp, y)
        if opt:
            opt.zero_grad()
            loss.backward()
            opt.step()
        total_err += (yp.max(dim=1)[1] != y).sum().item()
    return total_err / len(loader.dataset)


def fit_epoch(loader, accumulate=1):
    for i, (x, y) in enumerate(loader):
        loss = F.cross_entropy(model(x), y) / accumulate
        loss.backward()
        if (i + 1) % accumulate == 0:
            optimizer.step()
            optimizer.zero_grad()


def run(data_loader, train):
    model.train(train)
    for inputs, target in data_loader:
        loss = F.cross_entropy(model(inputs), target)
        if train:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()


for e in range(10):
    train_loss = run_epoch(train_loader)
    val_loss = run_epoch(val_loader, train=False)
    train_err = epoch(train_loader, model, optimizer)
    model.eval()
    with torch.no_grad():
        test_err = epoch(val_loader, model)
    fit_epoch(train_loader, accumulate=4)
    run(train_loader, True)
    with torch.set_grad_enabled(False):
        run(val_loader, False)
    print(e, train_loss, val_loss, train_err, test_err)
