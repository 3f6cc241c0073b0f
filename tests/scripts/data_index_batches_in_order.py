"""Batching by hand over arrays loaded in stored order: `zip(range(0, n, bs), range(bs, n, bs))`
slices X_train the same way every epoch and nothing permutes it (FIT101)."""
import numpy as np
import torch
import torch.nn as nn

X_train = np.load("train_x.npy").astype(np.float32)
y_train = np.load("train_y.npy")
X_train = torch.from_numpy(X_train)
y_train = torch.from_numpy(y_train).long()

net = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, weight_decay=5e-4)
batch_size = 100
n = X_train.shape[0]

for epoch in range(10):
    running = 0.0
    for start, end in zip(range(0, n, batch_size), range(batch_size, n, batch_size)):
        inputs = X_train[start:end]  # FIT101
        labels = y_train[start:end]
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(epoch, running)
