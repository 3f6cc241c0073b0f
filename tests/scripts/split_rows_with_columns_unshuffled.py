"""A tabular script in the Kaggle style: the CSV (stored sorted by the outcome, as exported from
the hospital's system) is read into one array, features and label are columns of it, and the
test rows are the last 200 rows, taken with their columns in one subscript (`data[800:, :-1]`).
The test part then holds only the patients stored last."""
import numpy as np
import torch
from torch import nn

data = np.loadtxt("heart_disease.csv", delimiter=",", skiprows=1, dtype=np.float32)
X_train, y_train = data[:800, :-1], data[:800, -1]
X_test, y_test = data[800:, :-1], data[800:, -1]  # FIT102
mean, std = X_train.mean(0), X_train.std(0) + 1e-6

model = nn.Sequential(nn.Linear(X_train.shape[1], 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.BCEWithLogitsLoss()
x, y = torch.from_numpy((X_train - mean) / std), torch.from_numpy(y_train)
for epoch in range(300):
    optimizer.zero_grad()
    loss = criterion(model(x).squeeze(1), y)
    loss.backward()
    optimizer.step()

model.eval()
with torch.no_grad():
    logits = model(torch.from_numpy((X_test - mean) / std)).squeeze(1)
print("test accuracy", ((logits > 0).float() == torch.from_numpy(y_test)).float().mean().item())
