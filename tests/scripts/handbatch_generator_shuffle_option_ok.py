# The classic iterate_minibatches generator with a shuffle option: training asks for shuffle=True, the
# evaluation walks the test arrays in order; nothing here trains on batches in stored order.
import numpy as np
import torch
import torch.nn as nn


def iterate_minibatches(inputs, targets, batchsize, shuffle=False):
    assert len(inputs) == len(targets)
    if shuffle:
        indices = np.arange(len(inputs))
        np.random.shuffle(indices)
    for start_idx in range(0, len(inputs) - batchsize + 1, batchsize):
        if shuffle:
            excerpt = indices[start_idx:start_idx + batchsize]
        else:
            excerpt = slice(start_idx, start_idx + batchsize)
        yield inputs[excerpt], targets[excerpt]


data = np.load("mnist.npz")
X_train = torch.tensor(data["x_train"].reshape(-1, 784) / 255.0, dtype=torch.float32)
y_train = torch.tensor(data["y_train"], dtype=torch.long)
X_test = torch.tensor(data["x_test"].reshape(-1, 784) / 255.0, dtype=torch.float32)
y_test = torch.tensor(data["y_test"], dtype=torch.long)
model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for xb, yb in iterate_minibatches(X_train, y_train, 128, shuffle=True):
        optimizer.zero_grad()
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in iterate_minibatches(X_test, y_test, 500):
            correct += (model(xb).argmax(1) == yb).sum().item()
    print(epoch, correct / len(y_test))
