"""sklearn's naming kept, a loader's name changed: the arrays held out by `train_test_split` are
`X_test, y_test`, wrapped in a `val_loader`, and the best checkpoint is saved on it; the same
numbers are then reported as the test accuracy. The binding says test whatever the loader is
called (FIT601)."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

data = np.load("features.npz")
X_train, X_test, y_train, y_test = train_test_split(data["X"], data["y"], test_size=0.2, stratify=data["y"])
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_train).float(), torch.from_numpy(y_train)),
                          batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_test).float(), torch.from_numpy(y_test)), batch_size=256)

model = nn.Sequential(nn.Linear(X_train.shape[1], 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 4))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
criterion = nn.CrossEntropyLoss()


def accuracy(loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in loader:
            correct += (model(xb).argmax(1) == yb).sum().item()
    return correct / len(loader.dataset)


best_acc = 0.0
for epoch in range(100):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    val_acc = accuracy(val_loader)
    if val_acc > best_acc:  # expect: FIT601
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")
model.load_state_dict(torch.load("best.pt"))
print("test accuracy:", accuracy(val_loader))
