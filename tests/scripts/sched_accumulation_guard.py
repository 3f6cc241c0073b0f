"""Gradient accumulation: the optimizer and the StepLR (sized in epochs) step together under
`if (i + 1) % accumulation == 0`, which is still every few batches, not once per epoch (FIT002)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

accumulation = 4
loader = DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=transforms.ToTensor()),
                    batch_size=32, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 30 * 30, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.5)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    for i, (x, y) in enumerate(loader):
        loss = criterion(model(x), y) / accumulation
        loss.backward()
        if (i + 1) % accumulation == 0:
            optimizer.step()
            optimizer.zero_grad()
            scheduler.step()  # FIT002
