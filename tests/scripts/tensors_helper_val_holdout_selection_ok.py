"""FashionMNIST held as tensors, no DataLoader: one helper turns each official split into tensors,
a random validation part is held out of the training tensors, and the checkpoint kept is the one
that scores best on that validation part."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets

BS, EPOCHS, VAL = 256, 20, 6000
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")


def as_tensors(ds):
    images = ds.data.unsqueeze(1).float() / 255.0
    return images.to(device), ds.targets.to(device)


train_raw = datasets.FashionMNIST("data", train=True, download=True)
test_raw = datasets.FashionMNIST("data", train=False, download=True)
X_all, y_all = as_tensors(train_raw)
X_test, y_test = as_tensors(test_raw)
perm = torch.randperm(len(X_all))
val_idx, tr_idx = perm[:VAL], perm[VAL:]
X_val, y_val = X_all[val_idx], y_all[val_idx]
X_tr, y_tr = X_all[tr_idx], y_all[tr_idx]


@torch.no_grad()
def evaluate(model, X, y, bs=1000):
    model.eval()
    correct = sum((model(X[i:i + bs]).argmax(1) == y[i:i + bs]).sum().item() for i in range(0, len(X), bs))
    return correct / len(X)


model = nn.Sequential(nn.Conv2d(1, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, 10))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
best = 0.0
for epoch in range(EPOCHS):
    model.train()
    order = torch.randperm(len(X_tr))
    for i in range(0, len(order), BS):
        idx = order[i:i + BS]
        optimizer.zero_grad()
        F.cross_entropy(model(X_tr[idx]), y_tr[idx]).backward()
        optimizer.step()
    acc = evaluate(model, X_val, y_val)
    if acc > best:
        best = acc
        torch.save(model.state_dict(), "best.pt")
print("test:", evaluate(model, X_test, y_test))
