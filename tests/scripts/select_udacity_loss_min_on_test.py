"""The Udacity course's checkpointing idiom, `valid_loss_min = np.inf` and a save whenever the
validation loss falls below it (tested into a flag first), with the "validation" loader built over the test set."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
train_data = datasets.FashionMNIST("data", train=True, download=True, transform=transform)
test_data = datasets.FashionMNIST("data", train=False, download=True, transform=transform)
train_loader = DataLoader(train_data, batch_size=64, shuffle=True)
valid_loader = DataLoader(test_data, batch_size=64)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
valid_loss_min = np.inf
for epoch in range(30):
    train_loss = valid_loss = 0.0
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(data), target)
        loss.backward()
        optimizer.step()
        train_loss += loss.item() * data.size(0)
    model.eval()
    with torch.no_grad():
        for data, target in valid_loader:
            valid_loss += criterion(model(data), target).item() * data.size(0)
    valid_loss = valid_loss / len(valid_loader.dataset)
    network_learned = valid_loss <= valid_loss_min  # expect: FIT601
    if network_learned:
        print(f"Validation loss decreased ({valid_loss_min:.6f} --> {valid_loss:.6f}).  Saving model ...")
        torch.save(model.state_dict(), "model.pt")
        valid_loss_min = valid_loss
