"""The same two-stage fine-tuning with the new head assigned before the stage-1 optimizer is built
over it; stage 2 unfreezes the last blocks of the features."""
import torch
import torch.nn as nn
from torchvision import models

NUM_CLASSES = 5


def freeze_all(model):
    for p in model.parameters():
        p.requires_grad = False


def run(model, optimizer, loader, epochs):
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()


def main(train_loader):
    model = models.efficientnet_b2(weights="IMAGENET1K_V1")
    freeze_all(model)
    model.classifier = nn.Sequential(nn.Dropout(0.4), nn.Linear(1408, NUM_CLASSES))
    head_optimizer = torch.optim.Adam(model.classifier.parameters(), lr=1e-3, weight_decay=1e-5)
    run(model, head_optimizer, train_loader, epochs=5)
    for block in list(model.features)[-3:]:
        for p in block.parameters():
            p.requires_grad = True
    finetune_optimizer = torch.optim.Adam(filter(lambda p: p.requires_grad, model.parameters()), lr=1e-4)
    run(model, finetune_optimizer, train_loader, epochs=10)
