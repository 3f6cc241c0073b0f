"""The same script unfreezing the model after the head is attached (`unfreeze(model)` is called):
the optimizer built then holds trainable parameters."""
import torch
import torch.nn as nn
from torchvision import models


def freeze(module):
    for param in module.parameters():
        param.requires_grad = False


def unfreeze(module):
    for param in module.parameters():
        param.requires_grad = True


def main(train_loader, num_classes, lr=1e-3):
    model = models.resnet50(weights="IMAGENET1K_V2")
    freeze(model)
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    unfreeze(model)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(10):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
