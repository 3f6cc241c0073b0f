"""CIFAR-10/100 in the structure of the seed's script: a dict of dataset classes, global
train(epoch) / test(epoch) functions, and the checkpoint saved whenever the accuracy on
`testloader` (the official test split, `train=False`) beats the best so far (FIT601).

Nothing else is wrong here: test() runs in eval mode under no_grad, the training transform alone
augments, and the epoch scheduler steps after the epoch's training.
"""
import argparse
import os

import numpy as np
import torch
import torch.backends.cudnn as cudnn
import torch.nn as nn
import torch.optim as optim
import torchvision
import torchvision.transforms as transforms
from torch.optim import lr_scheduler

parser = argparse.ArgumentParser(description="PyTorch CIFAR Training")
parser.add_argument("--lr", default=0.1, type=float, help="learning rate")
parser.add_argument("--datasets", default="CIFAR10", choices=["CIFAR10", "CIFAR100"])
parser.add_argument("--model", default="resnet18")
parser.add_argument("--batchsize", default=128, type=int)
parser.add_argument("--batchsize_test", default=100, type=int)
parser.add_argument("--epochs", default=200, type=int)
args = parser.parse_args()

device = "cuda" if torch.cuda.is_available() else "cpu"
best_acc = 0
start_epoch = 0

print("==> Preparing data..")
transform_train = transforms.Compose([
    transforms.RandomCrop(32, padding=4),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
])
transform_test = transforms.Compose([
    transforms.ToTensor(),
    transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2023, 0.1994, 0.2010)),
])
dict_datasets = {"CIFAR10": torchvision.datasets.CIFAR10, "CIFAR100": torchvision.datasets.CIFAR100}
trainset = dict_datasets[args.datasets](root="./data", train=True, download=True, transform=transform_train)
trainloader = torch.utils.data.DataLoader(trainset, batch_size=args.batchsize, shuffle=True, num_workers=0)
testset = dict_datasets[args.datasets](root="./data", train=False, download=True, transform=transform_test)
testloader = torch.utils.data.DataLoader(testset, batch_size=args.batchsize_test, shuffle=False, num_workers=0)

print("==> Building model..")
num_classes = 10 if args.datasets == "CIFAR10" else 100
net = torchvision.models.resnet18(num_classes=num_classes)
net = net.to(device)
if device == "cuda":
    net = torch.nn.DataParallel(net)
    cudnn.benchmark = True

criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=args.lr, momentum=0.8, weight_decay=5e-4)
scheduler = lr_scheduler.CosineAnnealingLR(optimizer, T_max=args.epochs)

train_Acc = np.array([])
train_Loss = np.array([])


def train(epoch):
    global train_Acc
    global train_Loss
    print("\nEpoch: %d" % epoch)
    net.train()
    train_loss = 0
    correct = 0
    total = 0
    for batch_idx, (inputs, targets) in enumerate(trainloader):
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        outputs = net(inputs)
        loss = criterion(outputs, targets)
        loss.backward()
        optimizer.step()
        train_loss += loss.item()
        _, predicted = outputs.max(1)
        total += targets.size(0)
        correct += predicted.eq(targets).sum().item()
    train_Acc = np.append(train_Acc, 100.0 * correct / total)
    train_Loss = np.append(train_Loss, train_loss / (batch_idx + 1))
    if not os.path.exists(args.model):
        os.mkdir(args.model)
    np.savetxt(args.model + "/result_of_train_acc.txt", train_Acc, fmt="%f")
    np.savetxt(args.model + "/result_of_train_loss.txt", train_Loss, fmt="%f")


test_Acc = np.array([])
test_Loss = np.array([])


def test(epoch):
    global test_Acc
    global test_Loss
    global best_acc
    net.eval()
    test_loss = 0
    correct = 0
    total = 0
    with torch.no_grad():
        DATA_predict = np.empty([0, num_classes])
        DATA_predict_index = np.empty([0, 1])
        for batch_idx, (inputs, targets) in enumerate(testloader):
            inputs, targets = inputs.to(device), targets.to(device)
            outputs = net(inputs)
            loss = criterion(outputs, targets)
            test_loss += loss.item()
            _, predicted = outputs.max(1)
            total += targets.size(0)
            correct += predicted.eq(targets).sum().item()
            DATA_predict = np.append(DATA_predict, outputs.cpu(), axis=0)
            DATA_predict_index = np.append(DATA_predict_index, targets.view(-1, 1).cpu(), axis=0)
    test_Acc = np.append(test_Acc, 100.0 * correct / total)
    test_Loss = np.append(test_Loss, test_loss / (batch_idx + 1))
    np.savetxt(args.model + "/result_of_test_acc.txt", test_Acc, fmt="%f")
    np.savetxt(args.model + "/result_of_test_loss.txt", test_Loss, fmt="%f")
    # Save checkpoint.
    acc = 100.0 * correct / total
    if acc > best_acc:  # FIT601
        np.savetxt(args.model + "_DATA_predict.txt", DATA_predict, fmt="%f")
        np.savetxt(args.model + "_DATA_predict_index.txt", DATA_predict_index, fmt="%d")
        print("Saving..")
        state = {
            "net": net.state_dict(),
            "acc": acc,
            "epoch": epoch,
        }
        if not os.path.isdir("checkpoint"):
            os.mkdir("checkpoint")
        torch.save(state, "./checkpoint/ckpt.pth")
        best_acc = acc


for epoch in range(start_epoch, start_epoch + args.epochs):
    train(epoch)
    test(epoch)
    scheduler.step()
