"""The seed's setting: 1,440 samples of a binary problem, 80% for training, with the features and
the labels shuffled by two separate calls to ``np.random.shuffle`` (FIT103).

Training accuracy reaches ~100% (the network memorizes the now random pairs) while validation
accuracy stays at ~50%, the seed's symptom ("数据和标签没有对上"). Everything else follows the usual
recipe: a shuffled training loader, dropout and weight decay, eval mode and no_grad for validation,
an epoch scheduler stepped after the epoch.
"""
import argparse

import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--lr", type=float, default=1e-3)
parser.add_argument("--epochs", type=int, default=60)
parser.add_argument("--batchsize", type=int, default=32)
args = parser.parse_args()
device = "cuda" if torch.cuda.is_available() else "cpu"

# 1,440 rows of 64 features; labels.npy holds 0/1 in the same row order
features = np.load("features.npy").astype(np.float32)
labels = np.load("labels.npy").astype(np.int64)
features = (features - features.mean(axis=0)) / (features.std(axis=0) + 1e-8)

# "shuffle before splitting" -- but with two calls, so two different orders
np.random.shuffle(features)
np.random.shuffle(labels)  # FIT103

n_train = int(0.8 * len(features))  # 1,152 for training, 288 for validation
x_train, y_train = torch.from_numpy(features[:n_train]), torch.from_numpy(labels[:n_train])
x_val, y_val = torch.from_numpy(features[n_train:]), torch.from_numpy(labels[n_train:])

trainloader = DataLoader(TensorDataset(x_train, y_train), batch_size=args.batchsize, shuffle=True)
valloader = DataLoader(TensorDataset(x_val, y_val), batch_size=256, shuffle=False)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 256)
        self.drop = nn.Dropout(0.3)
        self.fc2 = nn.Linear(256, 2)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


net = Net().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(net.parameters(), lr=args.lr, weight_decay=5e-4)
scheduler = lr_scheduler.StepLR(optimizer, step_size=20, gamma=0.1)
train_acc, val_acc = [], []


def train(epoch):
    net.train()
    correct = total = 0
    for inputs, targets in trainloader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        correct += outputs.argmax(1).eq(targets).sum().item()
        total += targets.size(0)
    train_acc.append(100.0 * correct / total)


def test(epoch):
    net.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, targets in valloader:
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = net(inputs)
            correct += outputs.argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    val_acc.append(100.0 * correct / total)
    print(f"epoch {epoch}: train {train_acc[-1]:.1f}% val {val_acc[-1]:.1f}%")


for epoch in range(args.epochs):
    train(epoch)
    test(epoch)
    scheduler.step()
