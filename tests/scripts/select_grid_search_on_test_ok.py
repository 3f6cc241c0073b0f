"""The grid search scored on a validation part carved from the training rows; the test set is
scored once with the chosen settings, and the epoch of its best accuracy is only printed."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class MLP(nn.Module):
    def __init__(self, n_inputs, n_neurons, n_outputs):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_inputs, n_neurons), nn.ReLU(), nn.Dropout(0.2), nn.Linear(n_neurons, n_outputs))

    def forward(self, x):
        return self.net(x)


df = pd.read_csv("ai4i2020.csv")
X = StandardScaler().fit_transform(df.drop(columns=["Machine failure"]).values).astype(np.float32)
y = df["Machine failure"].values
X_tr, X_test, y_tr, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
X_fit, X_val, y_fit, y_val = train_test_split(X_tr, y_tr, test_size=0.2, stratify=y_tr, random_state=0)
X_train, y_train = torch.tensor(X_fit), torch.tensor(y_fit).long()
X_val_t, y_val_t = torch.tensor(X_val), torch.tensor(y_val).long()
X_test_t, y_test_t = torch.tensor(X_test), torch.tensor(y_test).long()

best_accuracy, best_lr, best_num_epochs = -1.0, 0.0, 0
for current_num_epochs in [10, 25, 50, 100]:
    for current_lr in [0.01, 0.05, 0.1, 0.5]:
        mlp = MLP(X_train.shape[1], 32, 2)
        optimizer = optim.SGD(mlp.parameters(), lr=current_lr, weight_decay=1e-4)
        criterion = nn.CrossEntropyLoss()
        for epoch in range(current_num_epochs):
            mlp.train()
            optimizer.zero_grad()
            loss = criterion(mlp(X_train), y_train)
            loss.backward()
            optimizer.step()
        mlp.eval()
        with torch.no_grad():
            accuracy = (mlp(X_val_t).argmax(1) == y_val_t).float().mean().item()
        if accuracy > best_accuracy:
            best_accuracy = accuracy
            best_lr = current_lr
            best_num_epochs = current_num_epochs
mlp = MLP(X_train.shape[1], 32, 2)
optimizer = optim.SGD(mlp.parameters(), lr=best_lr, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
best_test, best_epoch = 0.0, 0
for epoch in range(best_num_epochs):
    mlp.train()
    optimizer.zero_grad()
    criterion(mlp(X_train), y_train).backward()
    optimizer.step()
    mlp.eval()
    with torch.no_grad():
        test_acc = (mlp(X_test_t).argmax(1) == y_test_t).float().mean().item()
    if test_acc > best_test:
        best_test = test_acc
        best_epoch = epoch
print(f"test accuracy {test_acc:.4f} (best {best_test:.4f} at epoch {best_epoch})")
