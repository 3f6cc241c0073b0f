"""Trap script for FIT102: a forecasting model split by time on purpose.

The last 20% of the days is the validation period: shuffling before the split would leak the future
into training. Splits by position are the right thing here and must stay silent.
"""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

LOOKBACK = 30

df = pd.read_csv("daily_load.csv", parse_dates=["Date"]).sort_values("Date")
values = df["load"].to_numpy(dtype=np.float32)
mean, std = values[: int(0.8 * len(values))].mean(), values[: int(0.8 * len(values))].std()
values = (values - mean) / std


def make_windows(series, lookback):
    xs = np.stack([series[i:i + lookback] for i in range(len(series) - lookback)])
    ys = series[lookback:]
    return torch.from_numpy(xs).unsqueeze(-1), torch.from_numpy(ys)


X, y = make_windows(values, LOOKBACK)
n_train = int(0.8 * len(X))
X_train, y_train = X[:n_train], y[:n_train]
X_val, y_val = X[n_train:], y[n_train:]
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(X_val, y_val), batch_size=256)


class Forecaster(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, batch_first=True)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1]).squeeze(-1)


model = Forecaster()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.MSELoss()
for epoch in range(50):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(xb), yb).item() for xb, yb in val_loader) / len(val_loader)
    print(f"epoch {epoch}: val mse {val_loss:.4f}")
