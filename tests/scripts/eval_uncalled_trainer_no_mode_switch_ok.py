"""Helper modules that train and evaluate a model handed in by callers elsewhere, written
correctly or with nothing to say about the mode: the validation pass after `model.eval()`
(training switching back with `model.train()`), an evaluation helper of its own (its callers may
switch the mode before calling it), and a model this file builds with neither dropout nor
batch-norm, trained and evaluated with no switch (the mode changes nothing)."""
import torch
import torch.nn as nn
from models import LSTMNet


def init_rnn(input_size=22, hidden_size=64, dropout=0.5):
    return LSTMNet(input_size=input_size, hidden_size=hidden_size, output_dim=4, dropout=dropout)


def train_val(model, criterion, optimizer, train_loader, val_loader, num_epochs=20):
    history = []
    for epoch in range(num_epochs):
        model.train()
        for batch in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(batch["X"]), batch["y"])
            loss.backward()
            optimizer.step()
        model.eval()
        correct, total = 0, 0
        with torch.no_grad():
            for batch in val_loader:
                correct += (torch.argmax(model(batch["X"]), dim=1) == batch["y"]).sum().item()
                total += batch["y"].shape[0]
        history.append(correct / total)
    return model, history


def evaluate(model, loader):
    with torch.no_grad():
        return sum((model(x).argmax(1) == y).sum().item() for x, y in loader) / len(loader.dataset)


def fit_plain(train_loader, val_loader, epochs=5):
    model = nn.Sequential(nn.Linear(22, 64), nn.ReLU(), nn.Linear(64, 4))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    for epoch in range(epochs):
        for x, y in train_loader:
            optimizer.zero_grad()
            nn.functional.cross_entropy(model(x), y).backward()
            optimizer.step()
        with torch.no_grad():
            print(epoch, sum(nn.functional.cross_entropy(model(x), y).item() for x, y in val_loader))

