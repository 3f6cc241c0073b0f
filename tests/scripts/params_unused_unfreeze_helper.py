"""A transfer-learning script with freeze/unfreeze helpers: the backbone is frozen and the optimizer
built over the model's parameters before the new head is attached, so nothing it holds trains
(FIT503); the `unfreeze` helper is kept for a later run and never called here."""
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
    optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)  # expect: FIT503
    model.fc = nn.Linear(model.fc.in_features, num_classes)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(10):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
