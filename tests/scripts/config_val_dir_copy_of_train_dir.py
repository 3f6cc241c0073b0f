# Scene classification configured by a dataclass whose val_dir was copy-pasted from train_dir: the
# validation loader reads the training folder.
from dataclasses import dataclass

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


@dataclass
class Config:
    train_dir: str = "data/scenes/train"
    val_dir: str = "data/scenes/train"
    batch_size: int = 64
    epochs: int = 15


class SceneTrainer:
    def __init__(self, cfg: Config):
        self.cfg = cfg
        train_tf = transforms.Compose([transforms.RandomResizedCrop(150), transforms.ToTensor()])
        eval_tf = transforms.Compose([transforms.Resize((150, 150)), transforms.ToTensor()])
        self.train_loader = DataLoader(datasets.ImageFolder(cfg.train_dir, transform=train_tf),
                                       batch_size=cfg.batch_size, shuffle=True)
        self.val_loader = DataLoader(datasets.ImageFolder(cfg.val_dir, transform=eval_tf),  # expect: FIT603
                                     batch_size=cfg.batch_size * 2)
        self.model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                                   nn.Flatten(), nn.Linear(32, 6))
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)
        self.criterion = nn.CrossEntropyLoss()

    def fit(self):
        for epoch in range(self.cfg.epochs):
            self.model.train()
            for x, y in self.train_loader:
                self.optimizer.zero_grad()
                loss = self.criterion(self.model(x), y)
                loss.backward()
                self.optimizer.step()
            self.model.eval()
            with torch.no_grad():
                correct = sum((self.model(x).argmax(1) == y).sum().item() for x, y in self.val_loader)
            print(epoch, correct)


if __name__ == "__main__":
    SceneTrainer(Config()).fit()
