"""The twin of select_val_alias_of_test.py: the validation arrays are split off the training part."""
import copy
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

X = np.load("features.npy").astype(np.float32)
y = np.load("labels.npy").astype(np.int64)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, random_state=1)
X_train, X_val, y_train, y_val = train_test_split(X_train, y_train, test_size=0.2, random_state=1)
Xt, yt = torch.from_numpy(X_train), torch.from_numpy(y_train)
Xv, yv = torch.from_numpy(X_val), torch.from_numpy(y_val)
model = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 3))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
best_val, best_weights = 0.0, None
for epoch in range(300):
    model.train()
    perm = torch.randperm(len(Xt))
    for i in range(0, len(Xt), 32):
        idx = perm[i:i + 32]
        opt.zero_grad()
        nn.functional.cross_entropy(model(Xt[idx]), yt[idx]).backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        val_acc = (model(Xv).argmax(1) == yv).float().mean().item()
    if val_acc > best_val:
        best_val = val_acc
        best_weights = copy.deepcopy(model.state_dict())
