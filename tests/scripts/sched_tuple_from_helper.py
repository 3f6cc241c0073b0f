"""The optimizer and its MultiStepLR (milestones in epochs) come back from a helper as a tuple; the
scheduler is stepped every batch (FIT002)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def build_model():
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def make_optimizer(model, lr, epochs):
    optimizer = torch.optim.SGD(model.parameters(), lr=lr, momentum=0.9, weight_decay=5e-4)
    scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=[30, 60], gamma=0.1)
    return optimizer, scheduler


def main():
    train_set = datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor())
    train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
    model = build_model()
    optimizer, scheduler = make_optimizer(model, 0.1, 90)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(90):
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            scheduler.step()  # FIT002


if __name__ == "__main__":
    main()
