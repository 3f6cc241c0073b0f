"""The twin of sched_lambda_subclass_before_optimizer.py: the LambdaLR subclass is stepped after
the optimizer, every batch, as its horizon (epochs * len(train_loader)) says."""
import math

import torch
import torch.nn as nn
from torch.optim.lr_scheduler import LambdaLR
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class WarmupCosineSchedule(LambdaLR):
    """Linear warm-up for `warmup_steps`, then cosine decay to zero at `t_total`."""

    def __init__(self, optimizer, warmup_steps, t_total, last_epoch=-1):
        self.warmup_steps = warmup_steps
        self.t_total = t_total
        super().__init__(optimizer, self.lr_lambda, last_epoch=last_epoch)

    def lr_lambda(self, step):
        if step < self.warmup_steps:
            return float(step) / float(max(1, self.warmup_steps))
        progress = float(step - self.warmup_steps) / float(max(1, self.t_total - self.warmup_steps))
        return max(0.0, 0.5 * (1.0 + math.cos(math.pi * progress)))


transform = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.ToTensor(),
                                transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
train_set = datasets.CIFAR10("data", train=True, download=True, transform=transform)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9)
epochs = 100
scheduler = WarmupCosineSchedule(optimizer, warmup_steps=500, t_total=epochs * len(train_loader))
criterion = nn.CrossEntropyLoss()
for epoch in range(epochs):
    model.train()
    for images, labels in train_loader:
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        scheduler.step()
