"""A book-chapter script (digits, two architectures one after the other): after each epoch the
whole test tensor goes through the model as `y_pred = net(X_test)`, the name the batch loop uses
for its own predictions. The training step binds `y_pred` afresh before its loss, so this pass
is not trained on: it is an evaluation with gradients on (FIT202), for both models. `net` is
rebound to a dropout model only after the first loop: the first model has no dropout or
batch-norm, so its missing `eval()` changes nothing (no FIT201)."""
from sklearn.datasets import load_digits
from sklearn.model_selection import train_test_split
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, TensorDataset

digits = load_digits()
X_train, X_test, Y_train, Y_test = train_test_split(digits.data / 16.0, digits.target, test_size=0.3)
X_train = torch.tensor(X_train, dtype=torch.float32)
Y_train = torch.tensor(Y_train, dtype=torch.int64)
X_test = torch.tensor(X_test, dtype=torch.float32)
Y_test = torch.tensor(Y_test, dtype=torch.int64)
loader = DataLoader(TensorDataset(X_train, Y_train), batch_size=32, shuffle=True)
loss_fn = nn.CrossEntropyLoss()

net = nn.Sequential(nn.Linear(64, 100), nn.ReLU(), nn.Linear(100, 100), nn.ReLU(), nn.Linear(100, 10))
optimizer = optim.Adam(net.parameters())
test_losses = []
for epoch in range(100):
    for xx, yy in loader:
        y_pred = net(xx)
        loss = loss_fn(y_pred, yy)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    y_pred = net(X_test)  # FIT202
    test_losses.append(loss_fn(y_pred, Y_test).item())

net = nn.Sequential(nn.Linear(64, 100), nn.ReLU(), nn.Dropout(0.5), nn.Linear(100, 100), nn.ReLU(),
                    nn.Dropout(0.5), nn.Linear(100, 10))
optimizer = optim.Adam(net.parameters())
test_losses = []
for epoch in range(100):
    net.train()
    for xx, yy in loader:
        y_pred = net(xx)
        loss = loss_fn(y_pred, yy)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    net.eval()
    y_pred = net(X_test)  # FIT202
    test_losses.append(loss_fn(y_pred, Y_test).item())
