import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

feats = np.load("mfcc_feats.npy").astype(np.float32)
labels = np.load("speaker_ids.npy")

order = np.arange(len(labels))
np.random.shuffle(order)
feats = feats[order]
labels = labels[order]

n_val = len(labels) // 10
X_train, y_train = torch.from_numpy(feats[n_val:]), torch.from_numpy(labels[n_val:]).long()
X_val, y_val = torch.from_numpy(feats[:n_val]), torch.from_numpy(labels[:n_val]).long()
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True)

model = nn.Sequential(nn.Linear(feats.shape[1], 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, int(labels.max()) + 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        print(epoch, (model(X_val).argmax(1) == y_val).float().mean().item())
