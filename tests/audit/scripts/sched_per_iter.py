"""StepLR(15, 0.1) stepped every batch instead of every epoch (reference run sched_per_iter)."""
import torch
from torch import nn, optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
scheduler = lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.1)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
epochs = 40

for epoch in range(epochs):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
        scheduler.step()  # FIT002
