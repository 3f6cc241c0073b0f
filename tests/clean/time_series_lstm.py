"""Forecasting a univariate series with an LSTM: sliding windows, a chronological split (the last
20% of the series held out), a scaler fitted on the training part only."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.preprocessing import MinMaxScaler
from torch.utils.data import DataLoader, TensorDataset

df = pd.read_csv("airline-passengers.csv", parse_dates=["Month"], index_col="Month")
series = df["Passengers"].values.astype(np.float32).reshape(-1, 1)
split = int(len(series) * 0.8)
scaler = MinMaxScaler().fit(series[:split])
scaled = scaler.transform(series).astype(np.float32)
lookback = 12


def make_windows(values, lookback):
    xs, ys = [], []
    for i in range(len(values) - lookback):
        xs.append(values[i:i + lookback])
        ys.append(values[i + lookback])
    return torch.tensor(np.array(xs)), torch.tensor(np.array(ys))


X, y = make_windows(scaled, lookback)
X_train, y_train = X[:split - lookback], y[:split - lookback]
X_test, y_test = X[split - lookback:], y[split - lookback:]
train_loader = DataLoader(TensorDataset(X_train, y_train), batch_size=16, shuffle=True)


class Forecaster(nn.Module):
    def __init__(self, hidden=64):
        super().__init__()
        self.lstm = nn.LSTM(1, hidden, num_layers=2, batch_first=True, dropout=0.1)
        self.head = nn.Linear(hidden, 1)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


model = Forecaster()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
for epoch in range(200):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        loss_fn(model(xb), yb).backward()
        optimizer.step()
    if epoch % 20 == 0:
        model.eval()
        with torch.no_grad():
            rmse = loss_fn(model(X_test), y_test).sqrt().item()
        print(f"epoch {epoch} test RMSE {rmse:.4f}")
