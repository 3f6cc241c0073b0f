"""The twin of split_rows_with_columns_unshuffled.py: the rows are shuffled in place before the
same cut. Also silent: sine waves stored one per row, input and target the same rows shifted by
one time step (`waves[3:, :-1]`, `waves[3:, 1:]`), whose first three rows are held out: each row
is a whole series generated with its own random phase, not a sample stored in some order."""
import numpy as np
import torch
from torch import nn

data = np.loadtxt("heart_disease.csv", delimiter=",", skiprows=1, dtype=np.float32)
np.random.default_rng(0).shuffle(data)
X_train, y_train = data[:800, :-1], data[:800, -1]
X_test, y_test = data[800:, :-1], data[800:, -1]
mean, std = X_train.mean(0), X_train.std(0) + 1e-6

model = nn.Sequential(nn.Linear(X_train.shape[1], 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.BCEWithLogitsLoss()
x, y = torch.from_numpy((X_train - mean) / std), torch.from_numpy(y_train)
for epoch in range(300):
    optimizer.zero_grad()
    loss = criterion(model(x).squeeze(1), y)
    loss.backward()
    optimizer.step()

model.eval()
with torch.no_grad():
    logits = model(torch.from_numpy((X_test - mean) / std)).squeeze(1)
print("test accuracy", ((logits > 0).float() == torch.from_numpy(y_test)).float().mean().item())

waves = np.load("sine_waves.npy").astype(np.float32)
wave_input, wave_target = torch.from_numpy(waves[3:, :-1]), torch.from_numpy(waves[3:, 1:])
test_input, test_target = torch.from_numpy(waves[:3, :-1]), torch.from_numpy(waves[:3, 1:])
lstm = nn.LSTM(1, 51, batch_first=True)
head = nn.Linear(51, 1)
wave_optimizer = torch.optim.Adam(list(lstm.parameters()) + list(head.parameters()), lr=1e-2)
for step in range(50):
    wave_optimizer.zero_grad()
    out, _ = lstm(wave_input.unsqueeze(-1))
    wave_loss = nn.functional.mse_loss(head(out).squeeze(-1), wave_target)
    wave_loss.backward()
    wave_optimizer.step()
with torch.no_grad():
    out, _ = lstm(test_input.unsqueeze(-1))
    print("held-out mse", nn.functional.mse_loss(head(out).squeeze(-1), test_target).item())
