"""CosineAnnealingLR whose horizon is `epochs * len(train_loader)` (iterations), stepped once per
epoch: the cosine barely starts to decay over the whole run (FIT002)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

epochs = 50
train_loader = DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs * len(train_loader))
criterion = nn.CrossEntropyLoss()
for epoch in range(epochs):
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()  # FIT002
