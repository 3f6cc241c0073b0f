"""A tabular classifier of configurable depth: the hidden blocks are added to a list in a loop and
the head is added after it, ending in a ReLU, before the list is unpacked into nn.Sequential; the
model's output goes to CrossEntropyLoss (FIT301)."""
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
    layers += [nn.Linear(d, n_classes), nn.ReLU()]  # expect: FIT301
    return nn.Sequential(*layers)


df = pd.read_csv("covtype.csv")
X = StandardScaler().fit_transform(df.drop(columns=["Cover_Type"]).values).astype(np.float32)
y = df["Cover_Type"].values - 1
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)), batch_size=256, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)), batch_size=1024)

model = make_model(X.shape[1], 7)
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
