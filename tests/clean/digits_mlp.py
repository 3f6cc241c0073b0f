"""scikit-learn's digits with one permutation applied to images and labels, the images then cast
and scaled: the rows keep that one order. A contiguous split of the permuted arrays."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.datasets import load_digits
from torch.utils.data import DataLoader, TensorDataset

data = load_digits()
idx = np.random.permutation(len(data.target))
X = data.images[idx].astype(np.float32) / 16.0
y = data.target[idx]
X_train, y_train = torch.tensor(X[:1400]).flatten(1), torch.tensor(y[:1400])
X_test, y_test = torch.tensor(X[1400:]).flatten(1), torch.tensor(y[1400:])
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True)

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()

model.eval()
with torch.no_grad():
    accuracy = (model(X_test).argmax(1) == y_test).float().mean().item()
print(f"test accuracy {accuracy:.3f}")
