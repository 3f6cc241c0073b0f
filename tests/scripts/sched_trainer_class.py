"""A Trainer class whose epoch-sized scheduler is stepped every batch (FIT002), plus a main() with
helpers whose OneCycleLR, sized in batches, is stepped once per epoch (FIT002)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim import SGD, AdamW
from torch.optim.lr_scheduler import MultiStepLR, OneCycleLR, StepLR
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class ConvNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 32, 3, padding=1)
        self.bn1 = nn.BatchNorm2d(32)
        self.conv2 = nn.Conv2d(32, 64, 3, padding=1)
        self.bn2 = nn.BatchNorm2d(64)
        self.fc = nn.Linear(64 * 8 * 8, num_classes)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn1(self.conv1(x))), 2)
        x = F.max_pool2d(F.relu(self.bn2(self.conv2(x))), 2)
        return self.fc(torch.flatten(x, 1))


class Trainer:
    def __init__(self, model, train_loader, val_loader, epochs=30, device="cuda"):
        self.model = model.to(device)
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.epochs = epochs
        self.device = device
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = SGD(self.model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
        self.scheduler = StepLR(self.optimizer, step_size=15, gamma=0.1)

    def train_epoch(self):
        self.model.train()
        total_loss = 0.0
        for images, labels in self.train_loader:
            images, labels = images.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(images), labels)
            loss.backward()
            self.optimizer.step()
            self.scheduler.step()  # FIT002
            total_loss += loss.item()
        return total_loss / len(self.train_loader)

    def validate(self):
        self.model.eval()
        correct = total = 0
        with torch.no_grad():
            for images, labels in self.val_loader:
                images, labels = images.to(self.device), labels.to(self.device)
                correct += (self.model(images).argmax(1) == labels).sum().item()
                total += labels.size(0)
        return correct / total

    def fit(self):
        for epoch in range(self.epochs):
            loss = self.train_epoch()
            acc = self.validate()
            print(f"epoch {epoch} loss {loss:.4f} val acc {acc:.4f} lr {self.scheduler.get_last_lr()[0]:.2e}")


class WarmupTrainer(Trainer):
    """Same loop, milestones in epochs, stepped per batch through a helper."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.scheduler = MultiStepLR(self.optimizer, milestones=[10, 20], gamma=0.2)

    def train_step(self, images, labels):
        self.optimizer.zero_grad()
        loss = self.criterion(self.model(images.to(self.device)), labels.to(self.device))
        loss.backward()
        self.optimizer.step()
        self.scheduler.step()  # FIT002
        return loss.item()

    def train_epoch(self):
        self.model.train()
        losses = []
        for images, labels in self.train_loader:
            losses.append(self.train_step(images, labels))
        return sum(losses) / len(losses)


def build_loaders(batch_size):
    normalize = transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
    train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), normalize])
    test_tf = transforms.Compose([transforms.ToTensor(), normalize])
    train_set = datasets.CIFAR10("./data", train=True, download=True, transform=train_tf)
    test_set = datasets.CIFAR10("./data", train=False, download=True, transform=test_tf)
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True, num_workers=4),
            DataLoader(test_set, batch_size=256, shuffle=False, num_workers=4))


def train_one_epoch(model, loader, optimizer, criterion, device):
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
            correct += (model(images.to(device)).argmax(1) == labels.to(device)).sum().item()
    return correct / len(loader.dataset)


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    epochs = 30
    train_loader, test_loader = build_loaders(128)
    model = ConvNet().to(device)
    optimizer = AdamW(model.parameters(), lr=1e-3, weight_decay=0.05)
    scheduler = OneCycleLR(optimizer, max_lr=1e-2, epochs=epochs, steps_per_epoch=len(train_loader))
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        train_one_epoch(model, train_loader, optimizer, criterion, device)
        scheduler.step()  # FIT002
        print(f"epoch {epoch}: test acc {evaluate(model, test_loader, device):.4f}")

    trainer = Trainer(ConvNet(), train_loader, test_loader, epochs=epochs, device=device)
    trainer.fit()


if __name__ == "__main__":
    main()
