"""Twin of eval_inline_test_pass_name_reused.py: each test pass runs under torch.no_grad().
The last loop trains on the model's own predictions for the test inputs (pseudo-labelling):
the `y_pred` of that pass reaches a backward pass, so it is not an evaluation."""
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
    with torch.no_grad():
        y_pred = net(X_test)
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
    with torch.no_grad():
        y_pred = net(X_test)
        test_losses.append(loss_fn(y_pred, Y_test).item())

# pseudo-labelling: the test-set predictions themselves are trained on
for epoch in range(10):
    y_pred = net(X_test)
    loss = loss_fn(y_pred, y_pred.argmax(1).detach())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
