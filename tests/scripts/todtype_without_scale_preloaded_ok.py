"""Guava disease classification with the torchvision v2 API: images decoded with
`torchvision.io.decode_image` (uint8) are preloaded through a pipeline whose `ToDtype(..., scale=True)`
casts them to float in 0..1 before Normalize(0.5, 0.5)."""
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms
from torchvision.io import image
from torchvision.transforms.v2 import ToDtype

CLASSES = {"Anthracnose": 0, "fruit_fly": 1, "healthy_guava": 2}


class ImageDataset(Dataset):
    def __init__(self, directories, classes, transform):
        self.directories = directories
        self.classes = classes
        self.images = []
        self.labels = []
        self.load_image_dataset(transform)

    def load_image_dataset(self, transform):
        for cls in self.classes:
            for folder in self.directories:
                for name in sorted(os.listdir(f"{folder}/{cls}")):
                    self.images.append(transform(image.decode_image(f"{folder}/{cls}/{name}")))
                    self.labels.append(self.classes[cls])

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, index):
        return self.images[index], self.labels[index]


def load_guava_dataset(root):
    transform = transforms.Compose([ToDtype(dtype=torch.float32, scale=True), transforms.Normalize((0.5,), (0.5,))])
    train_set = ImageDataset([f"{root}/train"], CLASSES, transform)
    val_set = ImageDataset([f"{root}/val"], CLASSES, transform)
    return DataLoader(train_set, batch_size=10, shuffle=True), DataLoader(val_set, batch_size=10)


def main(root="guava"):
    train_loader, val_loader = load_guava_dataset(root)
    model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(16, 3))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(10):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
        print(epoch, correct / len(val_loader.dataset))
