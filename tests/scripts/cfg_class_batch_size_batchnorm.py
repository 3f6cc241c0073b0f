"""Retinopathy grading in a Kaggle kernel's shape, with the settings kept as attributes of a
`CFG` class; the batch size is 2 for a network full of batch-norm layers."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import models


class CFG:
    seed = 42
    img_size = 512
    batch_size = 2
    lr = 1e-4
    epochs = 15


def main(train_set):
    train_loader = DataLoader(train_set, batch_size=CFG.batch_size, shuffle=True, num_workers=4)  # expect: FIT504
    model = models.resnet50(weights="IMAGENET1K_V2")
    model.fc = nn.Linear(model.fc.in_features, 5)
    optimizer = torch.optim.Adam(model.parameters(), lr=CFG.lr, weight_decay=1e-6)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(CFG.epochs):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            criterion(model(images), labels).backward()
            optimizer.step()
