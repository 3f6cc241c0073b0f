"""The twin of select_early_stopping_function_on_test.py: the same `early_stopping(...)` helper is
handed the loss of a validation part carved from the training data; the test set is evaluated
once at the end. Also silent: a class named for early stopping being built (`EarlyStopping(10)`,
not a decision), and a function of this file named for early stopping that is handed a count."""
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset, random_split

from helpers import EarlyStopping, early_stopping, load_churn

X_train, y_train, X_test, y_test = load_churn()
train_part, val_part = random_split(TensorDataset(X_train, y_train), [0.9, 0.1])
train_loader = DataLoader(train_part, batch_size=64, shuffle=True)
val_loader = DataLoader(val_part, batch_size=256)
test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=256)

model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
stopper = EarlyStopping(10)


def early_stop_after(epochs_run, limit):
    return epochs_run >= limit


def held_out_loss(loader):
    model.eval()
    total = 0.0
    with torch.no_grad():
        for x, y in loader:
            total += criterion(model(x), y).item()
    return total


best_loss, bad_epochs = float("inf"), 0
for epoch in range(200):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    val_loss = held_out_loss(val_loader)
    best_loss, bad_epochs, stop = early_stopping(val_loss, best_loss, bad_epochs, patience=10)
    if stop or early_stop_after(epoch, 150):
        break

print("test loss", held_out_loss(test_loader))
