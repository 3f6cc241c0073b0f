"""CIFAR-10 trainer class with hooks: the learning-rate schedule is advanced in the epoch-end hook,
after the epoch's training."""
import torch
import torch.nn as nn


class Trainer:
    def __init__(self, model, train_loader, epochs=30):
        self.model = model
        self.train_loader = train_loader
        self.epochs = epochs
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
        self.scheduler = torch.optim.lr_scheduler.MultiStepLR(self.optimizer, milestones=[15, 25], gamma=0.1)

    def on_epoch_end(self, epoch):
        self.scheduler.step()
        print(f"epoch {epoch}: lr {self.scheduler.get_last_lr()[0]:.4f}")

    def train_epoch(self):
        self.model.train()
        for x, y in self.train_loader:
            self.optimizer.zero_grad()
            self.criterion(self.model(x), y).backward()
            self.optimizer.step()

    def fit(self):
        for epoch in range(self.epochs):
            self.train_epoch()
            self.on_epoch_end(epoch)
