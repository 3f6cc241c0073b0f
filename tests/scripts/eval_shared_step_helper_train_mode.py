"""The shared step helper again, in a test pass under no_grad that forgets model.eval(): the
model left in training mode by the epoch loop keeps dropping activations while it is measured.
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


train_set, test_set = build_datasets("data/")
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
test_loader = DataLoader(test_set, batch_size=256)
model = Classifier(train_set.n_features, train_set.n_classes)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(20):
    model.train()
    for batch in train_loader:
        optimizer.zero_grad()
        loss, _ = run_batch(model, batch, criterion)
        loss.backward()
        optimizer.step()

with torch.no_grad():
    accs = []
    for batch in test_loader:  # FIT201
        _, acc = run_batch(model, batch, criterion)
        accs.append(acc.item())
print(sum(accs) / len(accs))
