"""model.eval() for validation and never model.train() again: dropout is off from the second epoch."""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(64, 1024), nn.ReLU(), nn.Dropout(0.5), nn.Linear(1024, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

model.train()
for epoch in range(80):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()  # FIT203
    with torch.no_grad():
        val_logits = [model(xb) for xb, _ in val_loader]
