"""The twin of select_dataset_option_test_branch.py: for CIFAR-10 a validation part is carved
from the training set, and the test split is only evaluated once at the end (through the same
`validate()` helper: a parameter that receives both loaders holds no "configurations")."""
import argparse
import os

import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import transforms as tf

parser = argparse.ArgumentParser()
parser.add_argument("--dataset", default="cifar10", choices=["cifar10", "imagenet"])
parser.add_argument("--root", default="data")
parser.add_argument("--epochs", type=int, default=100)
args = parser.parse_args()

if args.dataset == "cifar10":
    train_tf = tf.Compose([tf.RandomCrop(32, padding=4), tf.RandomHorizontalFlip(), tf.ToTensor()])
    train_dataset = torchvision.datasets.CIFAR10(args.root, train=True, download=True, transform=train_tf)
    full = torchvision.datasets.CIFAR10(args.root, train=True, download=True, transform=tf.ToTensor())
    train_dataset = torch.utils.data.Subset(train_dataset, range(45000))
    val_dataset = torch.utils.data.Subset(full, range(45000, 50000))
    test_dataset = torchvision.datasets.CIFAR10(args.root, train=False, download=True, transform=tf.ToTensor())
    num_classes = 10
else:
    train_tf = tf.Compose([tf.RandomResizedCrop(224), tf.RandomHorizontalFlip(), tf.ToTensor()])
    eval_tf = tf.Compose([tf.Resize(256), tf.CenterCrop(224), tf.ToTensor()])
    train_dataset = torchvision.datasets.ImageFolder(os.path.join(args.root, "imagenet", "train"), train_tf)
    val_dataset = torchvision.datasets.ImageFolder(os.path.join(args.root, "imagenet", "val"), eval_tf)
    test_dataset = val_dataset
    num_classes = 1000
train_loader = DataLoader(train_dataset, batch_size=128, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=256)

model = torchvision.models.vit_b_16(num_classes=num_classes)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=0.05)
criterion = nn.CrossEntropyLoss()


def validate(loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, target in loader:
            correct += (model(images).argmax(1) == target).sum().item()
            total += target.numel()
    return 100.0 * correct / total


best_acc1 = 0.0
for epoch in range(args.epochs):
    model.train()
    for images, target in train_loader:
        optimizer.zero_grad()
        criterion(model(images), target).backward()
        optimizer.step()
    acc1 = validate(val_loader)
    is_best = acc1 > best_acc1
    best_acc1 = max(acc1, best_acc1)
    if is_best:
        torch.save(model.state_dict(), f"vit_{args.dataset}_best.pth")

print("test accuracy:", validate(DataLoader(test_dataset, batch_size=256)))
