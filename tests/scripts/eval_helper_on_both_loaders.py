"""One accuracy helper measures the training and the validation loader every epoch, without
torch.no_grad(): on the validation loader it is an evaluation that builds graphs (FIT202)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

full = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
train_set, val_set = random_split(full, [55000, 5000])
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=512)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 300), nn.ReLU(), nn.Linear(300, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()


def accuracy(net, loader):
    correct = total = 0
    for images, labels in loader:  # FIT202
        preds = net(images).argmax(dim=1)
        correct += (preds == labels).sum().item()
        total += labels.size(0)
    return correct / total


for epoch in range(10):
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    print(epoch, accuracy(model, train_loader), accuracy(model, val_loader))
