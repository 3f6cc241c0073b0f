"""A model-zoo MNIST script: the weights are written by the project's own `misc.model_snapshot`
(imported), called whenever the accuracy on the test loader beats the best so far, every few
epochs. A save helper named "snapshot" keeps the best test checkpoint as well as one named save."""
import torch
import torch.nn.functional as F
from torch import nn, optim
from torchvision import datasets, transforms

from utee import misc

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = torch.utils.data.DataLoader(datasets.MNIST("data", train=True, download=True, transform=tf),
                                           batch_size=200, shuffle=True)
test_loader = torch.utils.data.DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=200)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
best_acc, old_file = 0, None
for epoch in range(40):
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(data), target).backward()
        optimizer.step()
    misc.model_snapshot(model, "log/latest.pth")
    if epoch % 5 == 0:
        model.eval()
        correct = 0
        with torch.no_grad():
            for data, target in test_loader:
                correct += model(data).argmax(1).eq(target).sum().item()
        acc = 100.0 * correct / len(test_loader.dataset)
        if acc > best_acc:  # expect: FIT601
            new_file = f"log/best-{epoch}.pth"
            misc.model_snapshot(model, new_file, old_file=old_file, verbose=True)
            best_acc = acc
            old_file = new_file
