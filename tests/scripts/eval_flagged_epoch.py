"""One epoch function for both jobs, chosen by a flag: it steps the optimizer only when `train`
is true. Called with train=False on the validation loader, it runs the same forward passes with
gradients on, so autograd records a graph for every validation batch."""
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
    total_loss, correct = 0.0, 0
    for x, y in loader:
        out = model(x)
        loss = F.cross_entropy(out, y)
        if train:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        total_loss += loss.item() * len(y)
        correct += (out.argmax(1) == y).sum().item()
    return total_loss / len(loader.dataset), correct / len(loader.dataset)


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


def run(model, data_loader, optimizer=None, max_norm=None):
    is_train = optimizer is not None
    model.train(is_train)
    correct = 0
    for inputs, target in data_loader:
        output = model(inputs)
        loss = F.cross_entropy(output, target)
        if is_train:
            optimizer.zero_grad()
            loss.backward()
            if max_norm:
                nn.utils.clip_grad_norm_(model.parameters(), max_norm)
            optimizer.step()
        correct += (output.argmax(1) == target).sum().item()
    return correct / len(data_loader.dataset)


for e in range(10):
    train_loss, train_acc = run_epoch(train_loader)
    val_loss, val_acc = run_epoch(val_loader, train=False)  # expect: FIT202
    train_err = epoch(train_loader, model, optimizer)
    test_err = epoch(val_loader, model)  # expect: FIT202
    run(model, train_loader, optimizer, max_norm=5.0)
    acc = run(model, val_loader)  # expect: FIT202
    print(e, train_loss, train_acc, val_loss, val_acc, train_err, test_err, acc)
