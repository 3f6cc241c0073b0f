"""A OneCycleLR exploration: test() appends each epoch's test accuracy to a module-level list, and the
epoch loop stops as soon as the last entry passes 86%: the stopping epoch is picked on the test set."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.4914, 0.4822, 0.4465), (0.247, 0.243, 0.261))])
train_loader = torch.utils.data.DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=tf), batch_size=128, shuffle=True)
test_loader = torch.utils.data.DataLoader(datasets.CIFAR10("data", train=False, transform=tf), batch_size=256)
model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
EPOCHS = 24
scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, steps_per_epoch=len(train_loader), epochs=EPOCHS)
test_acc = []


def train(model, train_loader, optimizer, scheduler):
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(data), target).backward()
        optimizer.step()
        scheduler.step()


def test(model, test_loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            correct += model(data).argmax(1).eq(target).sum().item()
    test_acc.append(100.0 * correct / len(test_loader.dataset))


for epoch in range(EPOCHS):
    train(model, train_loader, optimizer, scheduler)
    test(model, test_loader)
    if test_acc[-1] > 86:  # expect: FIT601
        break
