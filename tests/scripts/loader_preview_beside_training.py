import torch
import torch.nn as nn
import torchvision
from torch.utils import data
from torchvision import transforms

trans = transforms.ToTensor()
mnist_train = torchvision.datasets.FashionMNIST(root="../data", train=True, transform=trans, download=True)
mnist_test = torchvision.datasets.FashionMNIST(root="../data", train=False, transform=trans, download=True)

X, y = next(iter(data.DataLoader(mnist_train, batch_size=18)))
print(X.shape, y[:18])

train_loader = data.DataLoader(mnist_train, batch_size=256)  # expect: FIT101
test_loader = data.DataLoader(mnist_test, batch_size=256)

net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, weight_decay=5e-4)
for epoch in range(10):
    for X, y in train_loader:
        optimizer.zero_grad()
        loss_fn(net(X), y).backward()
        optimizer.step()
    with torch.no_grad():
        correct = sum((net(X).argmax(1) == y).sum().item() for X, y in test_loader)
    print(epoch, correct / len(mnist_test))
