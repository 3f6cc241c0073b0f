# The twin: the checkpoint is chosen on the validation entry of the same dict.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += len(y)
    return correct / total


train_loader = DataLoader(TensorDataset(torch.randn(4000, 561), torch.randint(0, 6, (4000,))), batch_size=64,
                          shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(800, 561), torch.randint(0, 6, (800,))), batch_size=256)
X_test, y_test = torch.randn(1000, 561), torch.randint(0, 6, (1000,))
test_loader = DataLoader(TensorDataset(X_test, y_test), batch_size=256)
model = nn.Sequential(nn.Linear(561, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 6))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
best_score = 0.0
for epoch in range(30):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    scores = {"val": evaluate(model, val_loader), "test": evaluate(model, test_loader)}
    if scores["val"] > best_score:
        best_score = scores["val"]
        torch.save(model.state_dict(), "har_best.pt")
