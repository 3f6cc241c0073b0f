"""A heart-disease table: the features frame is put in random order with `.sample(frac=1)` but
the label series is not, and both are then cut with `.iloc` side by side into the training and
validation parts: row i of the features no longer goes with label i. (y's cut keeps its stored
order, but that is the same mistake: shuffling X and y together fixes both.)"""
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

df = pd.read_csv("heart.csv")
X = df.drop(columns=["target"])
y = df["target"]
X = (X - X.mean()) / X.std()
X = X.sample(frac=1, random_state=0)  # expect: FIT103

n_val = 60
X_val, y_val = X.iloc[:n_val], y.iloc[:n_val]  # one mistake, reported once (at the sample above)
X_tr, y_tr = X.iloc[n_val:], y.iloc[n_val:]
train_ds = TensorDataset(torch.tensor(X_tr.values, dtype=torch.float32), torch.tensor(y_tr.values, dtype=torch.float32))
train_dl = DataLoader(train_ds, batch_size=16, shuffle=True)
x_val_t = torch.tensor(X_val.values, dtype=torch.float32)
y_val_t = torch.tensor(y_val.values, dtype=torch.float32)

clf = nn.Sequential(nn.Linear(X.shape[1], 16), nn.ReLU(), nn.Dropout(0.2), nn.Linear(16, 1))
opt = torch.optim.Adam(clf.parameters(), lr=1e-3)
crit = nn.BCEWithLogitsLoss()
for epoch in range(200):
    clf.train()
    for xb, yb in train_dl:
        opt.zero_grad()
        crit(clf(xb).squeeze(1), yb).backward()
        opt.step()
    clf.eval()
    with torch.no_grad():
        val_acc = ((clf(x_val_t).squeeze(1) > 0).float() == y_val_t).float().mean().item()
    print(epoch, val_acc)
