"""uint8 pixels cast to float without scaling reach the model in 0..255."""
import numpy as np
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

images = np.load("images.npy").astype(np.uint8)
labels = np.load("labels.npy")
x_train = torch.from_numpy(images).float()  # FIT401
train_loader = DataLoader(TensorDataset(x_train, torch.from_numpy(labels)), batch_size=32, shuffle=True)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.01)
for epoch in range(40):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
