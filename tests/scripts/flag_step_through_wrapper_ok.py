"""The same Fashion-MNIST script with the validation loop in evaluation mode and under no_grad:
the flag-driven step only measures there."""
import torch
from torch import nn, optim
from torchvision import datasets, transforms
from torch.utils.data import DataLoader


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2))
        self.drop = nn.Dropout(0.5)
        self.fc = nn.Linear(16 * 13 * 13, 10)

    def forward(self, x):
        return self.fc(self.drop(self.conv(x).flatten(1)))


def forward_pass(net, images, labels, optimizer, criterion, train=False):
    outputs = net(images)
    loss = criterion(outputs, labels)
    optimizer.zero_grad()
    if train:
        loss.backward()
        optimizer.step()
    correct = (outputs.argmax(1) == labels).sum().item()
    return loss, correct, labels.size(0)


def network_pass(net, images, labels, optimizer, criterion, train=False):
    loss, correct, total = forward_pass(net, images, labels, optimizer, criterion, train=train)
    print("train" if train else "val", loss.item(), correct / total)
    return loss, correct, total


tf = transforms.ToTensor()
train_loader = DataLoader(datasets.FashionMNIST("data", train=True, transform=tf, download=True), batch_size=500, shuffle=True)
val_loader = DataLoader(datasets.FashionMNIST("data", train=False, transform=tf), batch_size=500)
net = CNN()
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(net.parameters(), lr=0.001, weight_decay=1e-4)
for epoch in range(30):
    net.train()
    for images, labels in train_loader:
        network_pass(net, images, labels, optimizer, criterion, train=True)
    net.eval()
    with torch.no_grad():
        for images, labels in val_loader:
            val_loss, val_correct, val_total = network_pass(net, images, labels, optimizer, criterion, train=False)
