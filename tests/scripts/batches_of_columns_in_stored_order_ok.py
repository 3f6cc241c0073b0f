"""The twin of batches_of_columns_in_stored_order.py: the same columns, but the rows are picked
through a fresh permutation every epoch (`data[perm, :-1]` would do as well); and a second model
trained on a copy of the array whose rows were shuffled in place before its columns were taken."""
import numpy as np
import torch
from torch import nn

data = np.loadtxt("diabetes.csv", delimiter=",", skiprows=1, dtype=np.float32)
X = torch.from_numpy(data[:, :-1])
y = torch.from_numpy(data[:, -1])
X = (X - X.mean(0)) / X.std(0)

model = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(100):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 32):
        idx = perm[i:i + 32]
        optimizer.zero_grad()
        loss = criterion(model(X[idx]).squeeze(1), y[idx])
        loss.backward()
        optimizer.step()

shuffled = data.copy()
np.random.shuffle(shuffled)
X2 = torch.from_numpy(shuffled[:, :-1])
y2 = torch.from_numpy(shuffled[:, -1])
X2 = (X2 - X2.mean(0)) / X2.std(0)
model2 = nn.Sequential(nn.Linear(8, 16), nn.ReLU(), nn.Dropout(0.1), nn.Linear(16, 1))
optimizer2 = torch.optim.SGD(model2.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
for epoch in range(1):
    for i in range(0, len(X2), 32):
        optimizer2.zero_grad()
        loss2 = criterion(model2(X2[i:i + 32]).squeeze(1), y2[i:i + 32])
        loss2.backward()
        optimizer2.step()
