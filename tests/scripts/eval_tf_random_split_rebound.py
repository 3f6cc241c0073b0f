"""The training dataset's name is rebound by its own split, the shape of many tutorials:
`train_data, valid_data = random_split(train_data, ...)`. The validation half is still a view of the
dataset built with the augmenting transform (nested in a second Compose), so validation accuracy,
and the checkpoint chosen on it, are measured on randomly rotated and flipped digits (FIT402).
"""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

augmentation = transforms.Compose([
    transforms.RandomRotation(degrees=10),
    transforms.RandomResizedCrop(size=(28, 28), scale=(0.8, 1.0)),
])
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,)), augmentation])

train_data = datasets.MNIST(root="data", train=True, download=True, transform=transform)
train_size = int(0.8 * len(train_data))
train_data, valid_data = random_split(train_data, [train_size, len(train_data) - train_size])  # FIT402
train_loader = DataLoader(train_data, batch_size=64, shuffle=True)
valid_loader = DataLoader(valid_data, batch_size=64, shuffle=False)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
best_loss = float("inf")
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    valid_loss = 0.0
    with torch.no_grad():
        for images, labels in valid_loader:
            valid_loss += criterion(model(images), labels).item()
    if valid_loss < best_loss:
        best_loss = valid_loss
        torch.save(model.state_dict(), "best_model.pth")
