"""The same loader helper hands back the training and the test data together, but each client is
fine-tuned with a validation part carved from its own training data: `fit()` chooses on the
`x_val` it is given, which is training data (the test set is only evaluated once, at the end).
Unpacking `x_client` from the call that also returns `x_test` does not make it test data."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def load_data(path="clients.npz"):
    data = np.load(path)
    x_client = [torch.tensor(data[f"x_client{i}"] / 255.0, dtype=torch.float32) for i in range(5)]
    y_client = [torch.tensor(data[f"y_client{i}"]).long() for i in range(5)]
    x_test = torch.tensor(data["x_test"] / 255.0, dtype=torch.float32)
    y_test = torch.tensor(data["y_test"]).long()
    return x_client, y_client, x_test, y_test


def fit(model, x, y, x_val, y_val, epochs=20):
    trainloader = DataLoader(TensorDataset(x, y), batch_size=64, shuffle=True)
    valloader = DataLoader(TensorDataset(x_val, y_val), batch_size=100)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    criterion = nn.CrossEntropyLoss()
    best_acc, best_state = 0.0, None
    for epoch in range(epochs):
        model.train()
        for inputs, targets in trainloader:
            optimizer.zero_grad()
            criterion(model(inputs), targets).backward()
            optimizer.step()
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for inputs, targets in valloader:
                correct += model(inputs).argmax(1).eq(targets).sum().item()
                total += targets.size(0)
        acc = 100.0 * correct / total
        if acc > best_acc:
            best_acc = acc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    return best_state


x_client, y_client, x_test, y_test = load_data()
for i in range(5):
    perm = torch.randperm(len(x_client[i]))
    x_i, y_i = x_client[i][perm], y_client[i][perm]
    n_val = len(x_i) // 5
    net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Linear(256, 10))
    state = fit(net, x_i[n_val:], y_i[n_val:], x_i[:n_val], y_i[:n_val])
    net.load_state_dict(state)
    net.eval()
    with torch.no_grad():
        print(i, (net(x_test).argmax(1) == y_test).float().mean().item())
