"""A point-cloud classifier whose project folders have no __init__.py (namespace packages): the
validation set is built with the training transform, hand-written random rotation and jitter from
utils/data_transform.py (FIT402)."""
import torch
import torch.nn as nn
import torchvision.transforms as T
from torch.utils.data import DataLoader

from datasets import modelnet
from utils import data_transform

transform = T.Compose([data_transform.RotatePC(), data_transform.JitterPC(0.01, 0.05)])
train_dataset = modelnet.ModelNet("data/modelnet40", "train", transform)
val_dataset = modelnet.ModelNet("data/modelnet40", "val", transform)  # expect: FIT402
train_loader = DataLoader(train_dataset, batch_size=32, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=32)

net = nn.Sequential(nn.Flatten(), nn.Linear(1024 * 3, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.3),
                    nn.Linear(256, 40))
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(50):
    net.train()
    for points, label in train_loader:
        optimizer.zero_grad()
        criterion(net(points), label).backward()
        optimizer.step()
    net.eval()
    with torch.no_grad():
        correct = sum((net(p).argmax(1) == y).sum().item() for p, y in val_loader)
    print(epoch, correct / len(val_dataset))
