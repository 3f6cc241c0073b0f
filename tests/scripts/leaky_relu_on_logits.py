# An MNIST MLP whose last Linear is followed by the same LeakyReLU as the hidden layers, and a
# second model whose forward applies GELU to its logits; both feed CrossEntropyLoss.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.module = nn.Sequential(
            nn.Linear(784, 200),
            nn.LeakyReLU(inplace=True),
            nn.Linear(200, 200),
            nn.LeakyReLU(inplace=True),
            nn.Linear(200, 10),
            nn.LeakyReLU(inplace=True),  # expect: FIT301
        )

    def forward(self, x):
        return self.module(x.flatten(1))


class Head(nn.Module):
    def __init__(self):
        super().__init__()
        self.hidden = nn.Linear(784, 128)
        self.out = nn.Linear(128, 10)

    def forward(self, x):
        return F.gelu(self.out(F.gelu(self.hidden(x.flatten(1)))))  # expect: FIT301


train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
criterion = nn.CrossEntropyLoss()


def fit(net):
    optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    for epoch in range(5):
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(net(images), labels)
            loss.backward()
            optimizer.step()


fit(MLP())
fit(Head())
