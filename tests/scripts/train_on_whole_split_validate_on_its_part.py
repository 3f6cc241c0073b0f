"""MNIST notebook-style script: a validation part is cut from the training split with
`random_split`, but the training loader walks all of `train_data`, so every validation image is
also trained on (FIT603 at the training loader's dataset)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

transform = transforms.ToTensor()
train_data = datasets.MNIST(root="./cnn_data", train=True, download=True, transform=transform)
train_size = int(0.8 * len(train_data))
train_part, val_part = random_split(train_data, [train_size, len(train_data) - train_size])
val_loader = DataLoader(val_part, batch_size=256)
train_loader = DataLoader(train_data, batch_size=32, shuffle=True)  # expect: FIT603

model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.25),
                      nn.Linear(16 * 13 * 13, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.CrossEntropyLoss()


def evaluate(loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(loader.dataset)


for epoch in range(5):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    print(epoch, evaluate(val_loader))
