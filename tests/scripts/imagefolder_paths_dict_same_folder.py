"""Garbage classification with ImageFolder: the folders come from a PATHS dict whose validation
entry was copy-pasted from the training one, and each dataset gets its transform by position."""
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

DATA_ROOT = "garbage"
PATHS = {
    "train": os.path.join(DATA_ROOT, "train"),
    "val": os.path.join(DATA_ROOT, "train"),
}
MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def main(epochs=10):
    train_tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    eval_tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
                                  transforms.Normalize(MEAN, STD)])
    train_set = datasets.ImageFolder(PATHS["train"], train_tf)
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True, drop_last=True)
    val_set = datasets.ImageFolder(PATHS["val"], eval_tf)  # expect: FIT603
    val_loader = DataLoader(val_set, batch_size=64)
    model = models.mobilenet_v3_small(weights="IMAGENET1K_V1")
    model.classifier[3] = nn.Linear(model.classifier[3].in_features, len(train_set.classes))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=0.01)
    best = 0.0
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader) / len(val_set)
        if acc > best:
            best = acc
            torch.save(model.state_dict(), "best.pt")
