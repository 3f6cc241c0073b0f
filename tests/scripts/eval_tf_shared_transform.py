"""A main() with helpers for a flowers classifier: one transform with random crops, flips and
colour jitter is built once and handed to every split (FIT402 on the validation and the test
dataset). Validation accuracy is measured on randomly distorted images, so the checkpoint chosen
on it, and the test accuracy reported, move from run to run with the same weights.
"""
import argparse
import os

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision import transforms as T

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/flowers")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--lr", type=float, default=1e-3)
    return parser.parse_args()


def build_transform(size=224):
    return T.Compose([
        T.RandomResizedCrop(size, scale=(0.6, 1.0)),
        T.RandomHorizontalFlip(),
        T.ColorJitter(brightness=0.3, contrast=0.3, saturation=0.3),
        T.ToTensor(),
        T.Normalize(MEAN, STD),
    ])


def build_datasets(root):
    transform = build_transform()
    train_ds = datasets.ImageFolder(os.path.join(root, "train"), transform=transform)
    val_ds = datasets.ImageFolder(os.path.join(root, "val"), transform=transform)  # FIT402
    test_ds = datasets.ImageFolder(os.path.join(root, "test"), transform=transform)  # FIT402
    return train_ds, val_ds, test_ds


def build_model(num_classes):
    model = torchvision.models.resnet50(weights="IMAGENET1K_V2")
    for param in model.parameters():
        param.requires_grad = False
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    return model


def train_one_epoch(model, loader, criterion, optimizer, device):
    model.train()
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()


def evaluate(model, loader, device):
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in loader:
            preds = model(images.to(device)).argmax(1)
            correct += (preds == labels.to(device)).sum().item()
    return correct / len(loader.dataset)


def main():
    args = parse_args()
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_ds, val_ds, test_ds = build_datasets(args.data)
    train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=4)
    val_loader = DataLoader(val_ds, batch_size=64, num_workers=4)
    test_loader = DataLoader(test_ds, batch_size=64, num_workers=4)
    model = build_model(len(train_ds.classes)).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.fc.parameters(), lr=args.lr)
    best_acc = 0.0
    for epoch in range(args.epochs):
        train_one_epoch(model, train_loader, criterion, optimizer, device)
        val_acc = evaluate(model, val_loader, device)
        print(f"epoch {epoch}: val acc {val_acc:.4f}")
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save(model.state_dict(), "best.pt")
    model.load_state_dict(torch.load("best.pt"))
    print(f"test acc {evaluate(model, test_loader, device):.4f}")


if __name__ == "__main__":
    main()
