"""A project's own trainer class given the same folder for training and validation ("use a
separate validation set in production"): every image it validates on was trained on, and the best
checkpoint is picked on that score."""
from pathlib import Path

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


class Trainer:
    def __init__(self, model, train_dir, val_dir, epochs=10, batch_size=32):
        self.model = model
        self.train_dir = Path(train_dir)
        self.val_dir = Path(val_dir)
        self.epochs = epochs
        self.batch_size = batch_size
        self.train_transform = transforms.Compose([
            transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
        self.val_transform = transforms.Compose([
            transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(),
            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def loaders(self):
        train_set = datasets.ImageFolder(self.train_dir, self.train_transform)
        val_set = datasets.ImageFolder(self.val_dir, self.val_transform)
        return (DataLoader(train_set, batch_size=self.batch_size, shuffle=True),
                DataLoader(val_set, batch_size=self.batch_size))

    def train(self, save_path):
        train_loader, val_loader = self.loaders()
        optimizer = torch.optim.AdamW(self.model.parameters(), lr=1e-4, weight_decay=1e-2)
        criterion = nn.CrossEntropyLoss()
        best = 0.0
        for epoch in range(self.epochs):
            self.model.train()
            for images, labels in train_loader:
                optimizer.zero_grad()
                criterion(self.model(images), labels).backward()
                optimizer.step()
            self.model.eval()
            correct = 0
            with torch.no_grad():
                for images, labels in val_loader:
                    correct += (self.model(images).argmax(1) == labels).sum().item()
            accuracy = correct / len(val_loader.dataset)
            if accuracy > best:
                best = accuracy
                torch.save(self.model.state_dict(), save_path)


model = models.efficientnet_b0(weights="IMAGENET1K_V1")
model.classifier[1] = nn.Linear(model.classifier[1].in_features, 5)
data_path = Path("data/versions/v3")
trainer = Trainer(
    model=model,
    train_dir=data_path,
    val_dir=data_path,  # expect: FIT603
)
trainer.train("model.pth")
