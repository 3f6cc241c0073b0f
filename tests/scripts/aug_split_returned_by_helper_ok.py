import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, random_split
from torchvision import datasets, models, transforms

MEAN, STD = [0.485, 0.456, 0.406], [0.229, 0.224, 0.225]


def build_datasets(root, val_ratio=0.1):
    train_tf = transforms.Compose([
        transforms.RandomResizedCrop(160, scale=(0.6, 1.0)),
        transforms.RandomHorizontalFlip(),
        transforms.ToTensor(),
        transforms.Normalize(MEAN, STD),
    ])
    full = datasets.ImageFolder(root, transform=train_tf)
    n_val = int(len(full) * val_ratio)
    train_set, val_set = random_split(full, [len(full) - n_val, n_val],
                                      generator=torch.Generator().manual_seed(17))
    eval_tf = transforms.Compose([transforms.Resize(182), transforms.CenterCrop(160),
                                  transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    val_set = Subset(datasets.ImageFolder(root, transform=eval_tf), val_set.indices)
    return train_set, val_set, len(full.classes)


def preview_split(root):
    # a notebook leftover: the same names, bound again in another function
    full = datasets.ImageFolder(root)
    train_set, val_set = random_split(full, [0.9, 0.1])
    return len(train_set), len(val_set)


class Trainer:
    def __init__(self, args):
        train_set, val_set, n_classes = build_datasets(args.root)
        self.train_loader = DataLoader(train_set, batch_size=64, shuffle=True, num_workers=8)
        self.val_loader = DataLoader(val_set, batch_size=128, num_workers=8)
        self.model = models.resnet18(weights="IMAGENET1K_V1")
        self.model.fc = nn.Linear(self.model.fc.in_features, n_classes)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.AdamW(self.model.parameters(), lr=3e-4, weight_decay=0.05)

    def fit(self, epochs):
        for epoch in range(epochs):
            self.model.train()
            for x, y in self.train_loader:
                self.optimizer.zero_grad()
                self.criterion(self.model(x), y).backward()
                self.optimizer.step()
            self.model.eval()
            correct = 0
            with torch.no_grad():
                for x, y in self.val_loader:
                    correct += (self.model(x).argmax(1) == y).sum().item()
            print(epoch, correct / len(self.val_loader.dataset))


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--root", default="intel/seg_train")
    Trainer(parser.parse_args()).fit(12)
