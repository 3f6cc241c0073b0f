"""A book's reusable training helper (a widely read Chinese PyTorch book, chapter 4): the model
arrives as a parameter and is rebound from itself (``net = net.cuda()``, ``net = net.train()``,
``net = net.eval()``), the way ``nn.Module`` methods allow. The validation loop after
``net.eval()`` runs without ``torch.no_grad()`` (FIT202): the helper trains, so no caller can
wrap it in no_grad.
"""
from datetime import datetime

import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader


def get_acc(output, label):
    return (output.argmax(1) == label).float().mean().item()


def train(net, train_data, valid_data, num_epochs, optimizer, criterion):
    if torch.cuda.is_available():
        net = net.cuda()
    prev_time = datetime.now()
    for epoch in range(num_epochs):
        train_loss = train_acc = 0
        net = net.train()
        for im, label in train_data:
            if torch.cuda.is_available():
                im, label = im.cuda(), label.cuda()
            output = net(im)
            loss = criterion(output, label)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            train_loss += loss.item()
            train_acc += get_acc(output, label)
        valid_loss = valid_acc = 0
        net = net.eval()
        for im, label in valid_data:  # FIT202
            if torch.cuda.is_available():
                im, label = im.cuda(), label.cuda()
            output = net(im)
            valid_loss += criterion(output, label).item()
            valid_acc += get_acc(output, label)
        print(f"epoch {epoch}: train {train_acc / len(train_data):.3f} valid {valid_acc / len(valid_data):.3f}"
              f" ({datetime.now() - prev_time})")
        prev_time = datetime.now()


transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize([0.5] * 3, [0.5] * 3)])
train_set = torchvision.datasets.CIFAR10("./data", train=True, transform=transform, download=True)
test_set = torchvision.datasets.CIFAR10("./data", train=False, transform=transform)
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
test_loader = DataLoader(test_set, batch_size=128, shuffle=False)

model = torchvision.models.resnet18(num_classes=10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
train(model, train_loader, test_loader, 20, optimizer, nn.CrossEntropyLoss())
