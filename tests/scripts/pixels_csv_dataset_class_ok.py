"""The CSV dataset of pixels_csv_dataset_class.py, with the pixels scaled to 0..1 as they are
stored."""
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset, random_split


class CsvDigits(Dataset):
    def __init__(self, filepath):
        table = np.loadtxt(filepath, delimiter=",", dtype=np.float32, skiprows=1)
        self.labels = torch.tensor(table[:, 0], dtype=torch.long)
        self.images = torch.tensor(table[:, 1:] / 255.0, dtype=torch.float32)

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        return self.images[idx].view(1, 28, 28), self.labels[idx]


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x.flatten(1))))


full = CsvDigits("data/mnist_train.csv")
train_set, val_set = random_split(full, [50000, len(full) - 50000])
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)

for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / len(val_set))
