"""CIFAR-10 trainer class with hooks: the learning-rate schedule is advanced in the epoch-start hook,
which runs before the epoch's training (the pre-1.1 order)."""
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

    def on_epoch_start(self, epoch):
        self.scheduler.step()  # expect: FIT001
        print(f"epoch {epoch}: lr {self.scheduler.get_last_lr()[0]:.4f}")

    def train_epoch(self):
        self.model.train()
        for x, y in self.train_loader:
            self.optimizer.zero_grad()
            self.criterion(self.model(x), y).backward()
            self.optimizer.step()

    def fit(self):
        for epoch in range(self.epochs):
            self.on_epoch_start(epoch)
            self.train_epoch()
