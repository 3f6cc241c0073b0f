"""The same `while` loop over arrays put in a new random order at the top of every epoch (one
permutation for both)."""
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
    order = torch.randperm(len(X_train))
    X_train, y_train = X_train[order], y_train[order]
    i = 0
    while i < len(X_train):
        xb, yb = X_train[i:i + bs], y_train[i:i + bs]
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
        i += bs
