"""Batches cut by a hand-written `while i < len(X_train):` loop that moves `i` on by the batch
size: the same walk as `for i in range(0, n, bs)`, over letters stored class by class and never
permuted, so every epoch sees one class after another in the same order."""
import numpy as np
import torch
import torch.nn as nn

data = np.load("emnist_letters_by_class.npz")
X_train = torch.tensor(data["x_train"].reshape(-1, 784) / 255.0, dtype=torch.float32)
y_train = torch.tensor(data["y_train"], dtype=torch.long)

model = nn.Sequential(nn.Linear(784, 512), nn.ReLU(), nn.Dropout(0.3), nn.Linear(512, 26))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
bs = 128

for epoch in range(20):
    model.train()
    i = 0
    while i < len(X_train):
        xb, yb = X_train[i:i + bs], y_train[i:i + bs]  # expect: FIT101
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        i += bs
