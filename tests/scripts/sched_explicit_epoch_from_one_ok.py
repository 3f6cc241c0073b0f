"""The twin of sched_explicit_epoch_from_one.py: the scheduler steps after the epoch's training."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_loader = DataLoader(datasets.CIFAR100("data", train=True, download=True, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
net = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                    nn.Flatten(), nn.Linear(64, 100))
loss_function = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
train_scheduler = optim.lr_scheduler.MultiStepLR(optimizer, milestones=[60, 120, 160], gamma=0.2)


def train(epoch):
    net.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = loss_function(net(images), labels)
        loss.backward()
        optimizer.step()


for epoch in range(1, 201):
    train(epoch)
    train_scheduler.step(epoch)
