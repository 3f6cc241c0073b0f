"""Load forecasting with an LSTM over sliding windows; a per-batch `train_step` helper zeroes the
gradients after `backward()` and before `optimizer.step()`, so every step applies nothing."""
import torch
import torch.nn as nn


class Forecaster(nn.Module):
    def __init__(self, n_feat=5, hidden=128, horizon=24):
        super().__init__()
        self.lstm = nn.LSTM(n_feat, hidden, 2, batch_first=True, dropout=0.2)
        self.head = nn.Linear(hidden, horizon)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.head(out[:, -1])


def train_step(model, xb, yb, optimizer, loss_fn):
    loss = loss_fn(model(xb), yb)
    loss.backward()
    optimizer.zero_grad()  # expect: FIT501
    nn.utils.clip_grad_norm_(model.parameters(), 1.0)
    optimizer.step()
    return loss.item()


def main(train_loader, epochs=30):
    model = Forecaster()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    loss_fn = nn.MSELoss()
    for epoch in range(epochs):
        model.train()
        total = sum(train_step(model, xb, yb, optimizer, loss_fn) for xb, yb in train_loader)
        print(epoch, total / len(train_loader))
