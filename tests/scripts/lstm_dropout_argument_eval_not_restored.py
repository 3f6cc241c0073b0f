"""A stock-price LSTM whose only dropout is the LSTM's own `dropout=` between its layers: train()
switches to training mode once, before the epoch loop, and the validation at the end of each epoch
leaves the model in evaluation mode, so from the second epoch on the LSTM trains without dropout."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class StockPriceLSTM(nn.Module):
    def __init__(self, input_dim, hidden_dim, output_dim, num_layers, dropout=0.2):
        super().__init__()
        self.lstm = nn.LSTM(input_dim, hidden_dim, num_layers, batch_first=True, dropout=dropout)
        self.fc = nn.Linear(hidden_dim, output_dim)

    def forward(self, x):
        out, _ = self.lstm(x)
        return self.fc(out[:, -1, :])


windows = np.load("windows.npy").astype(np.float32)
targets = np.load("targets.npy").astype(np.float32)
split = int(0.8 * len(windows))  # time order: the last fifth validates
train_loader = DataLoader(TensorDataset(torch.from_numpy(windows[:split]), torch.from_numpy(targets[:split])),
                          batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(windows[split:]), torch.from_numpy(targets[split:])),
                        batch_size=256)
model = StockPriceLSTM(input_dim=5, hidden_dim=64, output_dim=1, num_layers=4, dropout=0.3)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)


def train_model(train_loader, val_loader, model, criterion, optimizer, num_epochs):
    model.train()
    for epoch in range(num_epochs):
        for sequences, targets in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(sequences).squeeze(), targets)
            loss.backward()
            optimizer.step()
        model.eval()  # expect: FIT203
        val_loss = 0.0
        with torch.no_grad():
            for sequences, targets in val_loader:
                val_loss += criterion(model(sequences).squeeze(), targets).item()
        print(f"epoch {epoch + 1}: validation loss {val_loss / len(val_loader):.4f}")


train_model(train_loader, val_loader, model, criterion, optimizer, 20)
