"""Batching by hand with slice objects (a course example): `inds = slice(b * bs, (b + 1) * bs)`
cuts x_train in the same stored order every epoch and nothing permutes it (FIT101). The test
pass cut the same way runs after eval() but with autograd on (FIT202)."""
import torch
import torch.nn as nn
from torchvision import datasets

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
BATCH_SIZE = 512

data_train = datasets.MNIST(root=".", train=True, download=True)
x_train = data_train.data.view(len(data_train), 1, 28, 28).float().div(255).to(device)
y_train = data_train.targets.to(device)
data_test = datasets.MNIST(root=".", train=False, download=True)
x_test = data_test.data.view(len(data_test), 1, 28, 28).float().div(255).to(device)
y_test = data_test.targets.to(device)

model = nn.Sequential(
    nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 13 * 13, 10),
).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=5e-2, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(30):
    model.train()
    loss_train = 0.0
    for batch in range(len(x_train) // BATCH_SIZE + 1):
        inds = slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE)
        optimizer.zero_grad()
        logits = model(x_train[inds])  # FIT101
        loss = criterion(logits, y_train[inds])
        loss.backward()
        optimizer.step()
        loss_train += loss.item()

    model.eval()
    correct = 0
    for batch in range(len(x_test) // BATCH_SIZE + 1):  # FIT202
        window = slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE)
        pred = model(x_test[window]).argmax(1)
        correct += (pred == y_test[window]).sum().item()
    print(epoch, loss_train, correct / len(x_test))
