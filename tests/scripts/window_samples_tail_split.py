"""The same classifier over headline embeddings, but each sample is one article, stored grouped by
its label (`sort_values("up")`): the test part, the last 20% of the rows, holds only articles
of the label that sorts last (FIT102)."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn

frame = pd.read_csv("headlines.csv")
embeddings = np.load("article_embeddings.npy").astype(np.float32)
embeddings = (embeddings - embeddings.mean(axis=0)) / (embeddings.std(axis=0) + 1e-8)
order = frame.sort_values("up").index.values
inputs, labels = embeddings[order], frame["up"].values[order]

cut = int(len(inputs) * 0.8)
x_train, x_test = torch.from_numpy(inputs[:cut]), torch.from_numpy(inputs[cut:])  # expect: FIT102
y_train, y_test = torch.from_numpy(labels[:cut]).long(), torch.from_numpy(labels[cut:]).long()

model = nn.Sequential(nn.Linear(embeddings.shape[1], 64), nn.ReLU(), nn.Dropout(0.2),
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
