"""A Trainer class holding self.model / self.optimizer / self.scheduler, with AMP.

The command-line default learning rate is far too high for SGD (the loss goes to NaN in the first
epoch), the batch-norm model trains on batches of 4, and the epoch loss is summed as a tensor.
"""
import argparse

import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.optim import SGD
from torch.optim.lr_scheduler import MultiStepLR
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

BATCH_SIZE = 4


def get_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="./data")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--learning-rate", type=float, default=8.0)  # FIT505
    parser.add_argument("--momentum", type=float, default=0.9)
    return parser.parse_args()


class ConvNet(nn.Module):
    def __init__(self, num_classes=10):
        super().__init__()
        self.block1 = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.block2 = nn.Sequential(nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(2))
        self.dropout = nn.Dropout(0.25)
        self.fc = nn.Linear(64 * 7 * 7, num_classes)

    def forward(self, x):
        x = self.block2(self.block1(x))
        return self.fc(self.dropout(torch.flatten(x, 1)))


class Trainer:
    def __init__(self, model, train_loader, val_loader, args, device):
        self.model = model.to(device)
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.device = device
        self.optimizer = SGD(self.model.parameters(), lr=args.learning_rate, momentum=args.momentum)
        self.scheduler = MultiStepLR(self.optimizer, milestones=[15, 25], gamma=0.1)
        self.scaler = torch.cuda.amp.GradScaler(enabled=device.type == "cuda")

    def train_epoch(self):
        self.model.train()
        epoch_loss = 0.0
        for images, labels in self.train_loader:
            images, labels = images.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad(set_to_none=True)
            with torch.autocast(device_type=self.device.type, enabled=self.device.type == "cuda"):
                loss = F.cross_entropy(self.model(images), labels)
            self.scaler.scale(loss).backward()
            self.scaler.step(self.optimizer)
            self.scaler.update()
            epoch_loss = epoch_loss + loss  # FIT502
        return epoch_loss / len(self.train_loader)

    @torch.no_grad()
    def validate(self):
        self.model.eval()
        total_loss, correct = 0.0, 0
        for images, labels in self.val_loader:
            images, labels = images.to(self.device), labels.to(self.device)
            logits = self.model(images)
            total_loss += F.cross_entropy(logits, labels, reduction="sum")
            correct += (logits.argmax(1) == labels).sum().item()
        n = len(self.val_loader.dataset)
        return total_loss.item() / n, correct / n

    def fit(self, epochs):
        for epoch in range(epochs):
            train_loss = self.train_epoch()
            val_loss, val_acc = self.validate()
            self.scheduler.step()
            print(f"epoch {epoch}: train loss {train_loss.item():.4f} val loss {val_loss:.4f} acc {val_acc:.3f}")


def main():
    args = get_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    train_set = datasets.MNIST(args.data, train=True, download=True, transform=tf)
    val_set = datasets.MNIST(args.data, train=False, transform=tf)
    train_loader = DataLoader(train_set, batch_size=BATCH_SIZE, shuffle=True, num_workers=2)  # FIT504
    val_loader = DataLoader(val_set, batch_size=1000, shuffle=False)
    Trainer(ConvNet(), train_loader, val_loader, args, device).fit(args.epochs)


if __name__ == "__main__":
    main()
