"""Remaining-useful-life regression on turbofan sensor windows (CMAPSS-style), one engine after
the other in cycle order. The loaders of both splits come out of one dict comprehension, the way
the transfer-learning tutorial writes them, but without `shuffle=`: the training entry walks the
windows of one engine after another, in the same order every epoch. The LSTM is stateless (each
window starts from zeros), so the order carries nothing."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class RULEstimator(nn.Module):
    def __init__(self, n_features, hidden=100):
        super().__init__()
        self.lstm = nn.LSTM(n_features, hidden, num_layers=2, batch_first=True, dropout=0.2)
        self.head = nn.Linear(hidden, 1)

    def forward(self, windows):
        out, _ = self.lstm(windows)
        return self.head(out[:, -1])


windows = {split: TensorDataset(torch.load(f"data/{split}_windows.pt"), torch.load(f"data/{split}_rul.pt"))
           for split in ["train", "test"]}
dataloaders = {x: DataLoader(windows[x], batch_size=192, num_workers=0)  # expect: FIT101
               for x in ["train", "test"]}

model = RULEstimator(n_features=24)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.MSELoss()

for epoch in range(30):
    for phase in ["train", "test"]:
        model.train() if phase == "train" else model.eval()
        running = 0.0
        for inputs, targets in dataloaders[phase]:
            if phase == "train":
                optimizer.zero_grad()
                loss = criterion(model(inputs), targets)
                loss.backward()
                optimizer.step()
            else:
                with torch.no_grad():
                    loss = criterion(model(inputs), targets)
            running += loss.item()
        print(epoch, phase, running / len(dataloaders[phase]))
