"""Per-client fine-tuning in a fork of a CIFAR training script: `fine_tune()` builds its own test
loader from the `x_test` it is given and keeps the weights of the epoch with the best test
accuracy. The caller unpacks the clients' training data and the test set from one helper; the
choice is made inside `fine_tune()`, on the data its parameter names as the test set."""
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


def fine_tune(model, x_train, y_train, x_test, y_test, epochs=20):
    trainloader = DataLoader(TensorDataset(x_train, y_train), batch_size=64, shuffle=True)
    testloader = DataLoader(TensorDataset(x_test, y_test), batch_size=100)
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
            for inputs, targets in testloader:
                correct += model(inputs).argmax(1).eq(targets).sum().item()
                total += targets.size(0)
        acc = 100.0 * correct / total
        if acc > best_acc:  # expect: FIT601
            best_acc = acc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    return best_state, best_acc


x_client, y_client, x_test, y_test = load_data()
for i in range(5):
    net = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 256), nn.ReLU(), nn.Linear(256, 10))
    state, acc = fine_tune(net, x_client[i], y_client[i], x_test, y_test)
    torch.save(state, f"client{i}.pt")
