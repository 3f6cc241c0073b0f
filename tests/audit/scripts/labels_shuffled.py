"""Features and labels shuffled by two independent permutations (reference run random_labels_binary)."""
import numpy as np
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

X = np.load("features.npy").astype(np.float32) / 16.0
y = np.load("labels.npy")
np.random.shuffle(X)
np.random.shuffle(y)  # FIT103
train_set = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)

model = nn.Sequential(nn.Linear(64, 1024), nn.ReLU(), nn.Dropout(0.2), nn.Linear(1024, 2))
criterion = nn.CrossEntropyLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-4)
for epoch in range(80):
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
