"""Kaggle's digit recognizer: pixels read from the CSV (0..255 integers) go into a float tensor
without scaling (FIT401)."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

train_df = pd.read_csv("../input/digit-recognizer/train.csv")
labels = train_df["label"].values
pixels = train_df.drop("label", axis=1).values
features = torch.tensor(pixels, dtype=torch.float32).view(-1, 1, 28, 28)  # FIT401
targets = torch.tensor(labels, dtype=torch.long)
loader = DataLoader(TensorDataset(features, targets), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(32 * 13 * 13, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
