# The twin: the whole-test pass runs under torch.no_grad(); a helper that predicts one trial a
# caller hands it (one small graph) is left alone.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

data = np.load("bcic_iv_2a.npz")
X_train = torch.from_numpy(data["X_train"]).float()
y_train = torch.from_numpy(data["y_train"]).long()
X_test = torch.from_numpy(data["X_test"]).float()
y_test = torch.from_numpy(data["y_test"]).long()

model = nn.Sequential(nn.Conv1d(22, 16, 64, padding=32), nn.BatchNorm1d(16), nn.ELU(), nn.AdaptiveAvgPool1d(8),
                      nn.Flatten(), nn.Dropout(0.25), nn.Linear(128, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=32, shuffle=True)
for epoch in range(100):
    model.train()
    for inputs, target in loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), target)
        loss.backward()
        optimizer.step()

model.eval()
with torch.no_grad():
    probs = model(X_test)


def predict_trial(net, trial):
    net.eval()
    batch = trial.unsqueeze(0).float()
    return net(batch).softmax(1)


print(predict_trial(model, X_test[0]))
print("test accuracy", (probs.argmax(dim=1) == y_test).float().mean().item())
