"""Fine-tuning a pretrained ResNet on a small image folder: main() with helpers.

The whole network is frozen and the optimizer is built over it before the new head is attached,
so nothing the optimizer holds can train: the loss stays flat and accuracy sits at chance. The
learning rate, read from a constant, is also far too small to move anything.
"""
import os

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

DATA_DIR = "data/hymenoptera_data"
LR = 1e-7  # FIT505
EPOCHS = 25


def build_loaders(data_dir):
    normalize = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    train_tf = transforms.Compose([
        transforms.RandomResizedCrop(224),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        normalize,
    ])
    val_tf = transforms.Compose([
        transforms.Resize(256),
        transforms.CenterCrop(224),
        transforms.ToTensor(),
        normalize,
    ])
    train_set = datasets.ImageFolder(os.path.join(data_dir, "train"), train_tf)
    val_set = datasets.ImageFolder(os.path.join(data_dir, "val"), val_tf)
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=4)
    val_loader = DataLoader(val_set, batch_size=32, shuffle=False, num_workers=4)
    return train_loader, val_loader


def freeze(module):
    for param in module.parameters():
        param.requires_grad = False


def train_one_epoch(model, loader, criterion, optimizer, device):
    model.train()
    running_loss, running_correct, seen = 0.0, 0, 0
    for inputs, labels in loader:
        inputs, labels = inputs.to(device), labels.to(device)
        optimizer.zero_grad()
        outputs = model(inputs)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        running_loss += loss.item() * inputs.size(0)
        running_correct += (outputs.argmax(1) == labels).sum().item()
        seen += inputs.size(0)
    return running_loss / seen, running_correct / seen


def evaluate(model, loader, criterion, device):
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    with torch.no_grad():
        for inputs, labels in loader:
            inputs, labels = inputs.to(device), labels.to(device)
            outputs = model(inputs)
            total_loss += criterion(outputs, labels).item() * inputs.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            seen += inputs.size(0)
    return total_loss / seen, correct / seen


def main():
    device = torch.device("cuda:0" if torch.cuda.is_available() else "cpu")
    train_loader, val_loader = build_loaders(DATA_DIR)

    model = models.resnet18(weights="IMAGENET1K_V1")
    freeze(model)
    model = model.to(device)
    optimizer = optim.SGD(model.parameters(), lr=LR, momentum=0.9)  # FIT503
    model.fc = nn.Linear(model.fc.in_features, 2).to(device)
    criterion = nn.CrossEntropyLoss()

    for epoch in range(EPOCHS):
        train_loss, train_acc = train_one_epoch(model, train_loader, criterion, optimizer, device)
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        print(f"epoch {epoch}: train {train_loss:.4f}/{train_acc:.3f} val {val_loss:.4f}/{val_acc:.3f}")


if __name__ == "__main__":
    main()
