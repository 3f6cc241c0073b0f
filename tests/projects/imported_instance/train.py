"""The training script imports the network `prepare_train` builds (an instance of the project's
`NET`, which has batch-norm and dropout) and validates it each epoch without `net.eval()`: the
validation runs in training mode (FIT201)."""
import torch
from torch.utils.data import DataLoader

from prepare_train import net

train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=32)
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(10):
    for image, label in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(net(image), label).backward()
        optimizer.step()
    correct = 0
    with torch.no_grad():
        for image, label in val_loader:  # expect: FIT201
            correct += (net(image).argmax(1) == label).sum().item()
    print(epoch, correct / len(val_loader.dataset))
