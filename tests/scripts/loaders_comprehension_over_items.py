import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

ROOT = "data/birds"
TFMS = {
    "train": transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                 transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
    "val": transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224),
                               transforms.ToTensor(), transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])]),
}


def build_loaders(root, batch_size=48, workers=4):
    sets = {
        "train": datasets.ImageFolder(os.path.join(root, "train"), TFMS["train"]),
        "val": datasets.ImageFolder(os.path.join(root, "val"), TFMS["val"]),
    }
    return {split: DataLoader(ds, batch_size=batch_size, num_workers=workers, pin_memory=True)  # expect: FIT101
            for split, ds in sets.items()}


loaders = build_loaders(ROOT)
model = models.resnet50(weights="IMAGENET1K_V2")
model.fc = nn.Linear(model.fc.in_features, 200)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(25):
    model.train()
    for images, labels in loaders["train"]:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in loaders["val"])
    print(epoch, correct / len(loaders["val"].dataset))
