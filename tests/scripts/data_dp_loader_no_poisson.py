"""Opacus with Poisson sampling switched off: `make_private(..., poisson_sampling=False)` keeps the
loader's own sampler, and the training DataLoader has no `shuffle=True`, so every epoch walks
MNIST in stored order (FIT101)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from opacus import PrivacyEngine
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=tf), batch_size=256)  # FIT101
test_loader = DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=1024)

model = nn.Sequential(nn.Conv2d(1, 16, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 12 * 12, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.5, weight_decay=1e-4)
engine = PrivacyEngine()
model, optimizer, train_loader = engine.make_private(
    module=model, optimizer=optimizer, data_loader=train_loader, noise_multiplier=1.1, max_grad_norm=1.0,
    poisson_sampling=False,
)

for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        hits = sum((model(x).argmax(1) == y).sum().item() for x, y in test_loader)
    print(epoch, hits / len(test_loader.dataset))
