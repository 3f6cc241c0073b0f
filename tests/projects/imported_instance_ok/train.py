"""The same training switching modes: `net.train()` before each epoch's training, `net.eval()`
before its validation: nothing to report."""
import torch
from torch.utils.data import DataLoader

from prepare_train import net

train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=32)
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(10):
    net.train()
    for image, label in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(image), label).backward()
        optimizer.step()
    net.eval()
    correct = 0
    with torch.no_grad():
        for image, label in val_loader:
            correct += (net(image).argmax(1) == label).sum().item()
    print(epoch, correct / len(val_loader.dataset))
