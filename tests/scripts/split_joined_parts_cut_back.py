"""Two files of one class each, joined end to end (`pd.concat`) and then cut at 80% of the joined
rows: the last fifth is all from the second file, the class stored last. Joining is no excuse
when the cut is not where the first part ends."""
import pandas as pd
import torch
from torch import nn

benign = pd.read_csv("data/benign.csv")
malignant = pd.read_csv("data/malignant.csv")
cells = pd.concat([benign, malignant])
n_train = int(0.8 * len(cells))
train_cells, val_cells = cells.iloc[:n_train], cells.iloc[n_train:]  # FIT102
X_train = torch.tensor(train_cells.drop(columns=["label"]).values, dtype=torch.float32)
y_train = torch.tensor(train_cells["label"].values, dtype=torch.float32)
X_val = torch.tensor(val_cells.drop(columns=["label"]).values, dtype=torch.float32)
y_val = torch.tensor(val_cells["label"].values, dtype=torch.float32)

net = nn.Sequential(nn.Linear(X_train.shape[1], 32), nn.ReLU(), nn.Linear(32, 1))
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(200):
    optimizer.zero_grad()
    loss = nn.functional.binary_cross_entropy_with_logits(net(X_train).squeeze(1), y_train)
    loss.backward()
    optimizer.step()
net.eval()
with torch.no_grad():
    print(((net(X_val).squeeze(1) > 0).float() == y_val).float().mean().item())
