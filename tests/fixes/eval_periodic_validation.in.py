# Validation every 100 batches inside the batch loop: eval() before it, train() right after it.
import torch
from torch.utils.data import DataLoader
from torch import nn
model = nn.Sequential(nn.Linear(784, 256), nn.Dropout(0.5), nn.Linear(256, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(10):
    for step, (x, y) in enumerate(train_loader):
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
        if step % 100 == 0:
            with torch.no_grad():
                for vx, vy in val_loader:
                    print(model(vx).argmax(1).eq(vy).float().mean())
