"""The twin of data_index_batches_slice_object.py: the arrays are permuted every epoch before the
slice objects cut them, and the test pass runs under no_grad. A slice object that cuts the
training images in chunks to compute their mean (no training) is no batch order at all."""
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

total = 0.0
for chunk in range(len(x_train) // 10000):
    part = slice(chunk * 10000, (chunk + 1) * 10000)
    total += x_train[part].sum().item()
mean = total / x_train.numel()

model = nn.Sequential(
    nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
    nn.Flatten(), nn.Linear(16 * 13 * 13, 10),
).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=5e-2, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()

for epoch in range(30):
    perm = torch.randperm(len(x_train), device=device)
    x_train, y_train = x_train[perm], y_train[perm]
    model.train()
    loss_train = 0.0
    for batch in range(len(x_train) // BATCH_SIZE + 1):
        inds = slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE)
        optimizer.zero_grad()
        logits = model(x_train[inds] - mean)
        loss = criterion(logits, y_train[inds])
        loss.backward()
        optimizer.step()
        loss_train += loss.item()

    model.eval()
    correct = 0
    with torch.no_grad():
        for batch in range(len(x_test) // BATCH_SIZE + 1):
            window = slice(batch * BATCH_SIZE, (batch + 1) * BATCH_SIZE)
            pred = model(x_test[window] - mean).argmax(1)
            correct += (pred == y_test[window]).sum().item()
    print(epoch, loss_train, correct / len(x_test))
