"""The same routine with both passes under no_grad.

EEG classification whose test routine has one loop per test-time augmentation: each branch's
loop over the test loader runs the model with gradients on, and each is its own evaluation."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

model = nn.Sequential(nn.Conv1d(22, 32, 5), nn.BatchNorm1d(32), nn.ELU(), nn.Dropout(0.5),
                      nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(32, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
X_train, y_train = torch.randn(2000, 22, 1000), torch.randint(0, 4, (2000,))
X_test, y_test = torch.randn(400, 22, 1000), torch.randint(0, 4, (400,))
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=128)


@torch.no_grad()
def test(windowed):
    model.eval()
    correct = 0
    if windowed:
        for X, y in test_loader:
            starts = np.random.choice(800, 5)
            votes = torch.stack([model(X[:, :, s:s + 200]).argmax(1) for s in starts], dim=1)
            correct += (votes.mode(dim=1).values == y).sum().item()
    else:
        for X, y in test_loader:
            correct += (model(X).argmax(1) == y).sum().item()
    return correct / len(X_test)


for epoch in range(30):
    model.train()
    for X, y in train_loader:
        optimizer.zero_grad()
        criterion(model(X), y).backward()
        optimizer.step()
    print(epoch, test(windowed=epoch % 2 == 0))
