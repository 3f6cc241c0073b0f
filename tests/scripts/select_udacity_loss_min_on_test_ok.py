"""The twin of select_udacity_loss_min_on_test.py: the validation loader holds 10% of the
training set, carved off with random_split; the test set is not touched while choosing."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
full_train = datasets.FashionMNIST("data", train=True, download=True, transform=transform)
train_data, valid_data = torch.utils.data.random_split(full_train, [54000, 6000])
train_loader = DataLoader(train_data, batch_size=64, shuffle=True)
valid_loader = DataLoader(valid_data, batch_size=64)

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
    network_learned = valid_loss <= valid_loss_min
    if network_learned:
        print(f"Validation loss decreased ({valid_loss_min:.6f} --> {valid_loss:.6f}).  Saving model ...")
        torch.save(model.state_dict(), "model.pt")
        valid_loss_min = valid_loss
