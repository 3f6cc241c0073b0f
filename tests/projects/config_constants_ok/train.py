"""A batch-norm network trained with the batch size of config.py (32): the constant is read from
the module it is defined in, as a constant of this file would be."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from config import BATCH_SIZE, EPOCHS, LR
from net import DepthNet

pairs = torch.load("nyu_small.pt")
loader = DataLoader(TensorDataset(pairs["rgb"], pairs["depth"]), batch_size=BATCH_SIZE, shuffle=True)
model = DepthNet()
optimizer = torch.optim.Adam(model.parameters(), lr=LR)
l1 = nn.L1Loss()
for epoch in range(EPOCHS):
    model.train()
    for rgb, depth in loader:
        optimizer.zero_grad()
        loss = l1(model(rgb), depth)
        loss.backward()
        optimizer.step()
