"""Market direction from the news: each sample is the last 30 trading days of headline embeddings
(overlapping windows, one day apart, cut in a loop over the days), and the label is whether the
next day closes up. The test part is the last 20% of the windows: the split by position is the
point (windows split at random would share days across the parts)."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn

WINDOW = 30
frame = pd.read_csv("headlines_by_day.csv")
embeddings = np.load("day_embeddings.npy").astype(np.float32)
embeddings = (embeddings - embeddings.mean(axis=0)) / (embeddings.std(axis=0) + 1e-8)
moves = frame["up"].values[1:]  # the next day's direction

inputs, labels = [], []
for i, day in enumerate(frame["day"].values[:-1]):
    if i + WINDOW > len(moves):
        break
    inputs.append(embeddings[i:i + WINDOW])
    labels.append(moves[i + WINDOW - 1])
inputs, labels = np.stack(inputs), np.array(labels)

cut = int(len(inputs) * 0.8)
x_train, x_test = torch.from_numpy(inputs[:cut]), torch.from_numpy(inputs[cut:])
y_train, y_test = torch.from_numpy(labels[:cut]).long(), torch.from_numpy(labels[cut:]).long()

model = nn.Sequential(nn.Flatten(), nn.Linear(WINDOW * embeddings.shape[1], 64), nn.ReLU(), nn.Dropout(0.2),
                      nn.Linear(64, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(50):
    model.train()
    perm = torch.randperm(len(x_train))
    for start in range(0, len(x_train), 32):
        idx = perm[start:start + 32]
        optimizer.zero_grad()
        loss = criterion(model(x_train[idx]), y_train[idx])
        loss.backward()
        optimizer.step()
model.eval()
with torch.no_grad():
    accuracy = (model(x_test).argmax(1) == y_test).float().mean().item()
print(f"test accuracy {accuracy:.3f}")
