"""The twin of eval_tf_random_split_rebound.py, correct: the split rebinds `train_data` the same
way, but the indices are split over two dataset objects, the validation one built with the
deterministic transform, so validation sees the digits as they are.
"""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset, random_split
from torchvision import datasets, transforms

augmentation = transforms.Compose([
    transforms.RandomRotation(degrees=10),
    transforms.RandomResizedCrop(size=(28, 28), scale=(0.8, 1.0)),
])
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,)), augmentation])

eval_transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
train_data = datasets.MNIST(root="data", train=True, download=True, transform=transform)
plain_data = datasets.MNIST(root="data", train=True, download=True, transform=eval_transform)
train_size = int(0.8 * len(train_data))
train_part, valid_part = random_split(range(len(train_data)), [train_size, len(train_data) - train_size])
train_data, valid_data = Subset(train_data, train_part), Subset(plain_data, valid_part)
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
