"""A binary classifier trained the way the seed document's script does it, mistakes included.

Training accuracy climbs to ~97% while validation accuracy sits near 50%. `fitlint scan examples/`
explains why; each mistake is marked with the code fitlint reports for it.
"""
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader, TensorDataset

device = "cuda" if torch.cuda.is_available() else "cpu"

# 1,440 samples stored sorted by label, 80% for training (the seed's setting)
features = np.load("features.npy").astype(np.uint8)
labels = np.load("labels.npy")
n_train = int(0.8 * len(features))
x_train = torch.from_numpy(features[:n_train]).float()  # FIT401
y_train = torch.from_numpy(labels[:n_train])
x_val = torch.from_numpy(features[n_train:]).float()  # FIT102 FIT401
y_val = torch.from_numpy(labels[n_train:])

trainloader = DataLoader(TensorDataset(x_train, y_train), batch_size=32)  # FIT101
valloader = DataLoader(TensorDataset(x_val, y_val), batch_size=32)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(64, 256)
        self.bn = nn.BatchNorm1d(256)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(256, 2)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = self.drop(self.relu(self.bn(self.fc1(x))))
        return self.relu(self.fc2(x))  # FIT301


net = Net().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9)
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)

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
    np.savetxt("result_of_train_acc.txt", train_acc, fmt="%f")


def test(epoch):
    correct = total = 0
    for inputs, targets in valloader:  # FIT201 FIT202
        inputs, targets = inputs.to(device), targets.to(device)
        outputs = net(inputs)
        correct += outputs.argmax(1).eq(targets).sum().item()
        total += targets.size(0)
    val_acc.append(100.0 * correct / total)
    np.savetxt("result_of_test_acc.txt", val_acc, fmt="%f")


for epoch in range(100):
    scheduler.step()  # FIT001
    train(epoch)
    test(epoch)
