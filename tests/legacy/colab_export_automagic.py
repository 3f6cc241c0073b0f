# -*- coding: utf-8 -*-
"""fruits_cnn.ipynb

Exported from Colab: a shell line and two automagic lines (`cd`, `pip`) were written in the notebook
without `%`, as IPython allows, so the file is not Python, yet its training code is.
"""

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

augment = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.RandomRotation(30),
                              transforms.Resize(32), transforms.ToTensor(),
                              transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
plain = transforms.Compose([transforms.Resize(32), transforms.ToTensor(),
                            transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])

!git clone "https://github.com/example/fruit-images.git"

cd fruit-images/

pip install -q torchsummary

train_set = datasets.ImageFolder("Training", transform=augment)
test_set = datasets.ImageFolder("Test", transform=plain)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
test_loader = DataLoader(test_set, batch_size=256)


class Net(nn.Module):
    def __init__(self, classes):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
                                  nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 16 * 16, classes))

    def forward(self, x):
        return self.body(x)


model = Net(len(train_set.classes))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    for images, labels in test_loader:  # expect: FIT202
        correct += (model(images).argmax(1) == labels).sum().item()
    print(epoch, correct / len(test_set))
