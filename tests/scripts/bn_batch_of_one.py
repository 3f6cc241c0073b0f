"""Road segmentation with a small encoder-decoder that keeps batch-norm in training mode, trained
one image at a time (`batch_size=1`): every step normalizes with the statistics of a single
image. The loop squeezes the mask's channel dimension (`masks.squeeze(1)`), not the batch one."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU())


model = nn.Sequential(block(3, 32), block(32, 64), block(64, 32), nn.Conv2d(32, 2, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
train_set = TensorDataset(torch.load("roads/images.pt"), torch.load("roads/masks.pt"))
train_loader = DataLoader(train_set, batch_size=1, shuffle=True)  # expect: FIT504

for epoch in range(50):
    model.train()
    for images, masks in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), masks.squeeze(1).long())
        loss.backward()
        optimizer.step()
