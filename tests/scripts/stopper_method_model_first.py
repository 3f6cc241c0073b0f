# Fault detection MLP with an early-stopping helper whose method takes the model first and the
# metric second (stopper.should_stop(model, test_loss)): it is fed the test loss.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class EarlyStopper:
    def __init__(self, patience=8, min_delta=1e-4, path="fault_mlp.pt"):
        self.patience, self.min_delta, self.path = patience, min_delta, path
        self.best = float("inf")
        self.bad_epochs = 0

    def should_stop(self, model, metric):
        if metric < self.best - self.min_delta:
            self.best = metric
            self.bad_epochs = 0
            self.best_state = {k: v.clone() for k, v in model.state_dict().items()}
        else:
            self.bad_epochs += 1
        return self.bad_epochs >= self.patience


data = np.load("faults.npz")
X_train, y_train = torch.tensor(data["X_train"]).float(), torch.tensor(data["y_train"]).long()
X_test, y_test = torch.tensor(data["X_test"]).float(), torch.tensor(data["y_test"]).long()
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 7))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
stopper = EarlyStopper(patience=10)
for epoch in range(200):
    model.train()
    for xb, yb in loader:
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        test_loss = criterion(model(X_test), y_test).item()
    if stopper.should_stop(model, test_loss):  # expect: FIT601
        break
