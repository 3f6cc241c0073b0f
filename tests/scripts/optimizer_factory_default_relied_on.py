"""An optimizer factory whose default rate is far too high for Adam, and the script's own call
relies on that default: every update overshoots from the first step."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def make_adam(model, lr=0.5):  # expect: FIT505
    return torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)


X, y = torch.randn(2000, 30), torch.randint(0, 3, (2000,))
loader = DataLoader(TensorDataset(X, y), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(30, 64), nn.ReLU(), nn.Linear(64, 3))
optimizer = make_adam(model)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    for xb, yb in loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
