"""The twin of data_index_batches_in_order.py: one permutation of both arrays every epoch."""
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
    perm = torch.randperm(n)
    X_train, y_train = X_train[perm], y_train[perm]
    running = 0.0
    for start, end in zip(range(0, n, batch_size), range(batch_size, n, batch_size)):
        inputs = X_train[start:end]
        labels = y_train[start:end]
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
        running += loss.item()
    print(epoch, running)
