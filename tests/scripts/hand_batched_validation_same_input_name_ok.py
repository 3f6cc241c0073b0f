"""A course notebook's CIFAR-10 loop over pre-cut minibatches: training and validation both bind
`inputs` (from `X_train[i]`, then from `X_vali[i]`); the validation pass runs under `no_grad`, and
the training pass is a training pass whatever the later binding of `inputs` says."""
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

X_tra = np.load("cifar_train_x.npy").astype(np.float32) / 255.0
y_tra = np.load("cifar_train_y.npy").astype(np.int64)
order = np.random.permutation(len(X_tra))
X_tra, y_tra = X_tra[order], y_tra[order]
X_val, y_val, X_tra, y_tra = X_tra[40000:], y_tra[40000:], X_tra[:40000], y_tra[:40000]
mini_batch = 625
X_train = torch.from_numpy(np.array(np.vsplit(X_tra, X_tra.shape[0] / mini_batch)))
y_train = torch.from_numpy(np.array(np.split(y_tra, y_tra.shape[0] / mini_batch)))
X_vali = torch.from_numpy(np.array(np.vsplit(X_val, X_val.shape[0] / mini_batch)))
y_vali = torch.from_numpy(np.array(np.split(y_val, y_val.shape[0] / mini_batch)))

net = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(),
                    nn.Linear(32 * 16 * 16, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

for epoch in range(100):
    batches = torch.randperm(X_train.shape[0])
    for i in batches:
        inputs = X_train[i]
        labels = y_train[i]
        optimizer.zero_grad()
        loss = criterion(net(inputs), labels)
        loss.backward()
        optimizer.step()
    correct_val, total_val = 0, 0
    with torch.no_grad():
        for i in range(X_vali.shape[0]):
            inputs = X_vali[i]
            labels = y_vali[i]
            outputs = net(inputs)
            correct_val += (outputs.argmax(1) == labels).sum().item()
            total_val += labels.shape[0]
    print("val accuracy:", correct_val / total_val)
