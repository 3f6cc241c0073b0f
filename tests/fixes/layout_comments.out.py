# Comments above the evaluation loop stay on the loop; the inserted mode switch goes above them.
import torch
from torch import nn, optim

model = nn.Sequential(nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Linear(256, 10))
optimizer = optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()

    # measure accuracy on the held-out split
    correct = 0
    model.eval()
    # every validation batch
    for x, y in val_loader:  # the whole split
        correct += (model(x).argmax(1) == y).sum().item()
    print(epoch, correct)
