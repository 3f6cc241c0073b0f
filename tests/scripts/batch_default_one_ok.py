"""The same U-Net trained from a loader whose batches a batch sampler makes (no `batch_size`
argument, and none needed), and from one given its keywords by a spread: nothing to report."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


def block(cin, cout):
    return nn.Sequential(nn.Conv3d(cin, cout, 3, padding=1), nn.BatchNorm3d(cout), nn.ReLU())


model = nn.Sequential(block(1, 16), block(16, 32), nn.Conv3d(32, 6, 1))
train_loader = DataLoader(dataset=train_data, batch_sampler=BucketSampler(train_data, 8))
loader_kwargs = load_loader_settings("loader.yaml")
other_loader = DataLoader(train_data, **loader_kwargs)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
for epoch in range(50):
    model.train()
    for volume, mask in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(volume), mask).backward()
        optimizer.step()
