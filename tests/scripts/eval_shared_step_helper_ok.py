"""Step helpers shared by training and evaluation, each used correctly: the validation loop runs
the plain helper under no_grad after model.eval(); `step(model, batch, train)` switches gradients
itself with set_grad_enabled(train); `predict(model, x)` is an evaluation helper of its own that
is decorated with no_grad; and the helper that trains (backward inside) is only called in the
training loop.
"""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from data import build_datasets


class Classifier(nn.Module):
    def __init__(self, n_features, n_classes):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_features, 256), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(256, n_classes))

    def forward(self, x):
        return self.net(x)


def run_batch(model, batch, criterion):
    x, y = batch
    logits = model(x)
    return criterion(logits, y), (logits.argmax(1) == y).float().mean()


def step(model, batch, criterion, train):
    x, y = batch
    with torch.set_grad_enabled(train):
        logits = model(x)
        loss = criterion(logits, y)
    return loss, (logits.argmax(1) == y).float().mean()


@torch.no_grad()
def predict(model, x):
    return model(x).argmax(1)


def train_step(model, batch, criterion, optimizer):
    optimizer.zero_grad()
    loss, _ = run_batch(model, batch, criterion)
    loss.backward()
    optimizer.step()
    return loss.item()


train_set, val_set = build_datasets("data/")
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)
model = Classifier(train_set.n_features, train_set.n_classes)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    model.train()
    for batch in train_loader:
        train_step(model, batch, criterion, optimizer)
    model.eval()
    with torch.no_grad():
        accs = [run_batch(model, batch, criterion)[1].item() for batch in val_loader]
    losses = []
    for batch in val_loader:
        loss, _ = step(model, batch, criterion, train=False)
        losses.append(loss.item())
    hits = 0
    for x, y in val_loader:
        hits += (predict(model, x) == y).sum().item()
    print(epoch, sum(accs) / len(accs), sum(losses) / len(losses), hits)
