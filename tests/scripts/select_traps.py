"""Correct model selection that a naive FIT601 would flag: a validation split carved from the
training data picks the checkpoint, drives early stopping and the plateau scheduler; the test set
is evaluated every epoch for the log only (its best value is reported, nothing is chosen on it),
and once at the end. A second run saves every epoch unconditionally.
"""
import copy

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms


class EarlyStopping:
    """Stops when the monitored loss has not improved for `patience` epochs."""

    def __init__(self, patience=7, min_delta=0.0):
        self.patience = patience
        self.min_delta = min_delta
        self.counter = 0
        self.best_loss = None
        self.early_stop = False

    def __call__(self, val_loss):
        if self.best_loss is None or val_loss < self.best_loss - self.min_delta:
            self.best_loss = val_loss
            self.counter = 0
        else:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True


def build_model():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Dropout(0.5), nn.Linear(64 * 8 * 8, 10),
    )


def make_loaders(root):
    train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor()])
    test_tf = transforms.Compose([transforms.ToTensor()])
    indices = torch.randperm(50000).tolist()
    train_part = Subset(datasets.CIFAR10(root, train=True, transform=train_tf), indices[5000:])
    val_part = Subset(datasets.CIFAR10(root, train=True, transform=test_tf), indices[:5000])
    test_set = datasets.CIFAR10(root, train=False, transform=test_tf)
    train_loader = DataLoader(train_part, batch_size=128, shuffle=True, num_workers=2)
    val_loader = DataLoader(val_part, batch_size=256, num_workers=2)
    test_loader = DataLoader(test_set, batch_size=256, num_workers=2)
    return train_loader, val_loader, test_loader


def train_one_epoch(model, loader, optimizer, criterion, device):
    model.train()
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader, criterion, device):
    model.eval()
    total_loss, correct, seen = 0.0, 0, 0
    for images, labels in loader:
        images, labels = images.to(device), labels.to(device)
        outputs = model(images)
        total_loss += criterion(outputs, labels).item() * labels.size(0)
        correct += (outputs.argmax(1) == labels).sum().item()
        seen += labels.size(0)
    return total_loss / seen, correct / seen


def main(root="./data", epochs=100):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_loader, val_loader, test_loader = make_loaders(root)
    model = build_model().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
    scheduler = optim.lr_scheduler.ReduceLROnPlateau(optimizer, mode="min", patience=3)
    stopper = EarlyStopping(patience=10)
    best_val_acc, best_test_acc = 0.0, 0.0
    best_weights = None
    for epoch in range(epochs):
        train_one_epoch(model, train_loader, optimizer, criterion, device)
        val_loss, val_acc = evaluate(model, val_loader, criterion, device)
        test_loss, test_acc = evaluate(model, test_loader, criterion, device)
        scheduler.step(val_loss)
        if val_acc > best_val_acc:
            best_val_acc = val_acc
            best_weights = copy.deepcopy(model.state_dict())
            torch.save(best_weights, "best_val.pt")
        if test_acc > best_test_acc:
            best_test_acc = test_acc
            print(f"epoch {epoch}: new best test accuracy {test_acc:.4f} (for the log only)")
        stopper(val_loss)
        if stopper.early_stop:
            break
    model.load_state_dict(best_weights)
    final_loss, final_acc = evaluate(model, test_loader, criterion, device)
    print(f"test accuracy of the checkpoint chosen on validation: {final_acc:.4f}")


def train_and_save_every_epoch(root="./data", epochs=30):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_loader, _, test_loader = make_loaders(root)
    model = build_model().to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    for epoch in range(epochs):
        train_one_epoch(model, train_loader, optimizer, criterion, device)
        test_loss, test_acc = evaluate(model, test_loader, criterion, device)
        print(f"epoch {epoch}: test loss {test_loss:.4f}, test accuracy {test_acc:.4f}")
        torch.save(model.state_dict(), f"epoch{epoch}.pth")


if __name__ == "__main__":
    main()
