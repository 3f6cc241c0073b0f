"""Tabular Playground (Kaggle): the competition's train and test files are joined so that
`get_dummies` encodes both alike, the id column is dropped, and the rows are cut back at the
training file's length (the seam of the join). The validation part, though, is the last tenth
of the training rows in stored order (the file is sorted by target)."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

train = pd.read_csv("../input/tabular-playground-series/train.csv")
test = pd.read_csv("../input/tabular-playground-series/test.csv")
TARGET = "target"
cat_cols = [c for c in train.columns if train[c].dtype == "object"]

full = pd.get_dummies(pd.concat([train.drop(columns=[TARGET]), test]), columns=cat_cols)
X_all = full.drop(columns=["id"]).values.astype(np.float32)
X = X_all[: len(train)]
X_test = X_all[len(train):]
y = train[TARGET].astype("category").cat.codes.values.astype(np.int64)

n_val = int(0.1 * len(X))
X_tr, y_tr = X[:-n_val], y[:-n_val]
X_va, y_va = X[-n_val:], y[-n_val:]  # expect: FIT102
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_tr), torch.from_numpy(y_tr)), batch_size=256, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_va), torch.from_numpy(y_va)), batch_size=1024)

model = nn.Sequential(nn.Linear(X.shape[1], 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, int(y.max()) + 1))
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
        acc = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader) / len(y_va)
    print(epoch, acc)
