"""Missing zero_grad on a harder task (class centres closer: spread 0.55): gradients never zeroed, SGD with lr 0.05.

Usage: python no_zero_grad_hard.py OUTDIR [--size cpu|gpu] [--device cpu|cuda]
"""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

from refkit import Curves, load_clusters, parse_args, seed_everything

SIZES = {"cpu": dict(samples=1800, width=128, epochs=20), "gpu": dict(samples=10000, width=1024, epochs=40)}
NUM_CLASSES = 10

args = parse_args(__doc__)
seed_everything(args.seed)
size = SIZES[args.size]
device = torch.device(args.device)

# Data stored sorted by label: shuffle with one permutation, then split 80/20.
X, y = load_clusters(size["samples"], num_classes=NUM_CLASSES, spread=0.55)
perm = torch.randperm(len(X))
X, y = X[perm], y[perm]
n_train = int(0.8 * len(X))
train_set = TensorDataset(X[:n_train], y[:n_train])
val_set = TensorDataset(X[n_train:], y[n_train:])
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)


class Net(nn.Module):
    def __init__(self, in_features, width, num_classes):
        super().__init__()
        self.fc1 = nn.Linear(in_features, width)
        self.fc2 = nn.Linear(width, width)
        self.fc3 = nn.Linear(width, num_classes)
        self.drop = nn.Dropout(0.2)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.drop(self.relu(self.fc1(x)))
        x = self.drop(self.relu(self.fc2(x)))
        return self.fc3(x)


model = Net(X.shape[1], size["width"], NUM_CLASSES).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.05, weight_decay=5e-4)
scheduler = lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.1)


def train(epoch):
    model.train()
    correct = total = 0
    running_loss = 0.0
    for inputs, targets in train_loader:
        inputs, targets = inputs.to(device), targets.to(device)
        outputs = model(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * targets.size(0)
        correct += outputs.argmax(1).eq(targets).sum().item()
        total += targets.size(0)
    return 100.0 * correct / total, running_loss / total


def test(epoch):
    model.eval()
    correct = total = 0
    running_loss = 0.0
    with torch.no_grad():
        for inputs, targets in val_loader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = model(inputs)
            running_loss += criterion(outputs, targets).item() * targets.size(0)
            correct += outputs.argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    return 100.0 * correct / total, running_loss / total


curves = Curves(args.outdir, NUM_CLASSES, len(train_set), len(val_set), size["epochs"], case="no_zero_grad_hard")
for epoch in range(size["epochs"]):
    train_acc, train_loss = train(epoch)
    val_acc, val_loss = test(epoch)
    scheduler.step()
    curves.add(epoch, train_acc, train_loss, val_acc, val_loss, optimizer.param_groups[0]["lr"])
