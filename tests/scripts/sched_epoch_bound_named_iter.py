"""The DCGAN-style option names: `max_iter` counts epochs here (`for epoch in range(max_iter)`),
and the cosine schedule sized with it is stepped after every batch: it runs through its whole
cycle within the first epoch and restarts every `max_iter` batches (FIT002)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

max_iter = 150
model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=max_iter)
for epoch in range(max_iter):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        scheduler.step()  # expect: FIT002
