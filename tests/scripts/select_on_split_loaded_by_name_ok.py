import numpy as np
import torch
import torch.nn as nn

device = "cuda" if torch.cuda.is_available() else "cpu"


def load(prefix):
    X = np.loadtxt(f"UCI_HAR/{prefix}/X_{prefix}.txt", dtype=np.float32)
    y = np.loadtxt(f"UCI_HAR/{prefix}/y_{prefix}.txt", dtype=np.int64) - 1
    return X, y


def to_tensor(X, y, mean, std):
    return torch.from_numpy((X - mean) / std).to(device), torch.from_numpy(y).to(device)


X_all, y_all = load("train")
X_test, y_test = load("test")
perm = np.random.default_rng(0).permutation(len(X_all))
val_idx, tr_idx = perm[:len(X_all) // 10], perm[len(X_all) // 10:]
mean, std = X_all[tr_idx].mean(0), X_all[tr_idx].std(0) + 1e-6
X_tr, y_tr = to_tensor(X_all[tr_idx], y_all[tr_idx], mean, std)
X_va, y_va = to_tensor(X_all[val_idx], y_all[val_idx], mean, std)
X_te, y_te = to_tensor(X_test, y_test, mean, std)

model = nn.Sequential(nn.Linear(X_tr.shape[1], 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 6)).to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()


def accuracy(X, y):
    model.eval()
    with torch.no_grad():
        return (model(X).argmax(1) == y).float().mean().item()


best_acc, best_state = 0.0, None
for epoch in range(40):
    model.train()
    order = torch.randperm(len(X_tr), device=device)
    for i in range(0, len(X_tr), 128):
        idx = order[i:i + 128]
        optimizer.zero_grad()
        loss = criterion(model(X_tr[idx]), y_tr[idx])
        loss.backward()
        optimizer.step()
    val_acc = accuracy(X_va, y_va)
    if val_acc > best_acc:
        best_acc = val_acc
        best_state = {k: v.clone() for k, v in model.state_dict().items()}
model.load_state_dict(best_state)
print(f"test accuracy {accuracy(X_te, y_te):.4f}")
