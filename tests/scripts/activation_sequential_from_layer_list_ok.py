"""The same classifier built right: the head is the list's last layer, and a second builder adds the
ReLU in the loop only between layers (`if i < len(sizes) - 1:`), so the last layer is a Linear
whatever the sizes; the ReLUs in the list come before it."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset


def make_model(n_features, n_classes, hidden=(512, 256, 128), p_drop=0.2):
    layers = []
    d = n_features
    for h in hidden:
        layers += [nn.Linear(d, h), nn.BatchNorm1d(h), nn.ReLU(), nn.Dropout(p_drop)]
        d = h
    layers.append(nn.Linear(d, n_classes))
    return nn.Sequential(*layers)


def make_plain_mlp(sizes):
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    return nn.Sequential(*layers)


df = pd.read_csv("covtype.csv")
X = StandardScaler().fit_transform(df.drop(columns=["Cover_Type"]).values).astype(np.float32)
y = df["Cover_Type"].values - 1
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)), batch_size=256, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)), batch_size=1024)

model = make_model(X.shape[1], 7) if X.shape[1] > 20 else make_plain_mlp([X.shape[1], 64, 7])
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(20):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
    print(f"epoch {epoch}: val acc {correct / len(X_val):.4f}")
