"""A 3D U-Net for MRI segmentation with batch-norm in every block, trained from a loader built
with no batch size at all: PyTorch's default is one volume per batch, so every batch-norm layer
normalizes a single sample (FIT504)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.BatchNorm3d(cout), nn.ReLU())


model = nn.Sequential(block(1, 16), block(16, 32), nn.Conv3d(32, 6, 1))
train_loader = DataLoader(dataset=train_data, shuffle=True)  # expect: FIT504
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
for epoch in range(50):
    model.train()
    for volume, mask in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(volume), mask).backward()
        optimizer.step()
