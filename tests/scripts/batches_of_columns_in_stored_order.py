"""A Pima-diabetes style tabular script: the CSV is read into one array, the features and the
label are its columns (`data[:, :-1]`, `data[:, -1]`), and the batches are cut by hand in stored
order every epoch. Taking columns keeps the rows in the order the file stores them: nothing
permutes them, so every epoch walks the same batches."""
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
    for i in range(0, len(X), 32):
        optimizer.zero_grad()
        loss = criterion(model(X[i:i + 32]).squeeze(1), y[i:i + 32])  # FIT101
        loss.backward()
        optimizer.step()
