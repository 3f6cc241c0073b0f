"""The validation loader walks the training set: validation measures memorization."""
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-4)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(train_set, batch_size=256)  # FIT603

for epoch in range(40):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for xb, yb in val_loader:
            model(xb)
