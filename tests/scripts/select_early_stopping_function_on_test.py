"""A tabular churn model whose early stopping is a plain function of a helper module:
`early_stopping(score, best, bad_epochs, patience)` returns the updated counters and whether to
stop. It is handed the test-set loss, so the epoch training stops at is chosen on the test split."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

from helpers import early_stopping, load_churn

X_train, y_train, X_test, y_test = load_churn()
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=256)

model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

best_loss, bad_epochs = float("inf"), 0
for epoch in range(200):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    test_loss = 0.0
    with torch.no_grad():
        for x, y in test_loader:
            test_loss += criterion(model(x), y).item()
    best_loss, bad_epochs, stop = early_stopping(test_loss, best_loss, bad_epochs, patience=10)  # FIT601
    if stop:
        break
