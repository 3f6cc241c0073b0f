"""Bird species transfer learning with two small helpers: one returns the training and evaluation
pipelines, the other builds the ImageFolder of one split with the transform it is handed. The
validation split is built with the evaluation pipeline."""
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def build_transforms(size=224):
    norm = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    train_tf = transforms.Compose([transforms.RandomResizedCrop(size, scale=(0.6, 1.0)),
                                   transforms.RandomHorizontalFlip(), transforms.ToTensor(), norm])
    eval_tf = transforms.Compose([transforms.Resize(size + 32), transforms.CenterCrop(size), transforms.ToTensor(), norm])
    return train_tf, eval_tf


def make_dataset(root, split, tfm):
    return datasets.ImageFolder(os.path.join(root, split), transform=tfm)


def run(root="data/birds", epochs=15):
    train_tf, eval_tf = build_transforms()
    train_ds = make_dataset(root, "train", train_tf)
    val_ds = make_dataset(root, "val", eval_tf)
    train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=4)
    val_loader = DataLoader(val_ds, batch_size=64, num_workers=4)
    model = models.resnet50(weights="IMAGENET1K_V2")
    model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            acc = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader) / len(val_ds)
        print(epoch, acc)
