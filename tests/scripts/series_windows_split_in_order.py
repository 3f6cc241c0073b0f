"""A house-price regressor on a table of independent sales, stored sorted by price: the tail
split by position holds only the most expensive houses, which the model never saw (nothing here
is a series: no windows, no dates)."""
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

table = pd.read_csv("houses_sorted_by_price.csv")
features = torch.tensor(table.drop(columns=["price"]).values, dtype=torch.float32)
features = (features - features.mean(0)) / features.std(0)
prices = torch.tensor(table["price"].values, dtype=torch.float32).unsqueeze(1)
cut = int(len(table) * 0.8)
train_x, train_y = features[:cut], prices[:cut]
val_x, val_y = features[cut:], prices[cut:]  # expect: FIT102
train_loader = DataLoader(TensorDataset(train_x, train_y), batch_size=64, shuffle=True)

model = nn.Sequential(nn.Linear(features.shape[1], 64), nn.ReLU(), nn.Linear(64, 1))
loss_function = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(50):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss_function(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        print(epoch, loss_function(model(val_x), val_y).item())
