"""An argparse CIFAR-10 trainer: a validation split carved from the training set (its own
deterministic transform), the best checkpoint chosen on it, the test set evaluated once at the end."""
import argparse
import copy
import os

import torch
import torch.backends.cudnn as cudnn
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, Subset


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, in_planes, planes, stride=1):
        super().__init__()
        self.conv1 = nn.Conv2d(in_planes, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = nn.Sequential()
        if stride != 1 or in_planes != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(in_planes, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet(nn.Module):
    def __init__(self, num_blocks, num_classes=10):
        super().__init__()
        self.in_planes = 64
        self.conv1 = nn.Conv2d(3, 64, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(64)
        self.layers = nn.Sequential(*[self._make_layer(64 * 2 ** i, n, 1 if i == 0 else 2)
                                      for i, n in enumerate(num_blocks)])
        self.linear = nn.Linear(512, num_classes)

    def _make_layer(self, planes, num_blocks, stride):
        layers = []
        for s in [stride] + [1] * (num_blocks - 1):
            layers.append(BasicBlock(self.in_planes, planes, s))
            self.in_planes = planes
        return nn.Sequential(*layers)

    def forward(self, x):
        out = self.layers(F.relu(self.bn1(self.conv1(x))))
        return self.linear(F.adaptive_avg_pool2d(out, 1).flatten(1))


parser = argparse.ArgumentParser(description="CIFAR-10 training")
parser.add_argument("--lr", default=0.1, type=float)
parser.add_argument("--epochs", default=200, type=int)
parser.add_argument("--val-size", default=5000, type=int)
parser.add_argument("--resume", action="store_true")
args = parser.parse_args()
device = "cuda" if torch.cuda.is_available() else "cpu"

mean, std = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
transform_train = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor(), transforms.Normalize(mean, std)])
transform_test = transforms.Compose([transforms.ToTensor(), transforms.Normalize(mean, std)])

full_train = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform_train)
full_eval = torchvision.datasets.CIFAR10(root="./data", train=True, download=True, transform=transform_test)
indices = torch.randperm(len(full_train), generator=torch.Generator().manual_seed(0)).tolist()
trainset = Subset(full_train, indices[args.val_size:])
valset = Subset(full_eval, indices[:args.val_size])
testset = torchvision.datasets.CIFAR10(root="./data", train=False, download=True, transform=transform_test)
trainloader = DataLoader(trainset, batch_size=128, shuffle=True, num_workers=2)
valloader = DataLoader(valset, batch_size=256, shuffle=False, num_workers=2)
testloader = DataLoader(testset, batch_size=256, shuffle=False, num_workers=2)

net = ResNet([2, 2, 2, 2]).to(device)
if device == "cuda":
    net = torch.nn.DataParallel(net)
    cudnn.benchmark = True
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.9, weight_decay=5e-4)
scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)
best_acc = 0.0
start_epoch = 0
if args.resume:
    checkpoint = torch.load("./checkpoint/ckpt.pth")
    net.load_state_dict(checkpoint["net"])
    best_acc, start_epoch = checkpoint["acc"], checkpoint["epoch"]


def train(epoch):
    net.train()
    train_loss, correct, total = 0.0, 0, 0
    for inputs, targets in trainloader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()
        total += targets.size(0)
        correct += outputs.argmax(1).eq(targets).sum().item()
    print(f"epoch {epoch} train loss {train_loss / len(trainloader):.3f} acc {100.0 * correct / total:.2f}")


def evaluate(loader):
    net.eval()
    correct, total = 0, 0
    with torch.no_grad():
        for inputs, targets in loader:
            inputs, targets = inputs.to(device), targets.to(device)
            correct += net(inputs).argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    return 100.0 * correct / total


for epoch in range(start_epoch, args.epochs):
    train(epoch)
    acc = evaluate(valloader)
    scheduler.step()
    if acc > best_acc:
        best_acc = acc
        os.makedirs("checkpoint", exist_ok=True)
        torch.save({"net": net.state_dict(), "acc": acc, "epoch": epoch}, "./checkpoint/ckpt.pth")

net.load_state_dict(torch.load("./checkpoint/ckpt.pth")["net"])
print(f"best val {best_acc:.2f}, test {evaluate(testloader):.2f}")
