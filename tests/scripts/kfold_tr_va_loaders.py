import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import StratifiedKFold
from torch.utils.data import DataLoader, Subset, TensorDataset

X = torch.from_numpy(np.load("ecg_beats.npy")).float()
y = torch.from_numpy(np.load("ecg_labels.npy")).long()
full = TensorDataset(X, y)
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
for fold, (tr_idx, va_idx) in enumerate(folds.split(X.numpy(), y.numpy())):
    tr_dl = DataLoader(Subset(full, tr_idx), batch_size=64)  # expect: FIT101
    va_dl = DataLoader(Subset(full, va_idx), batch_size=256)
    model = nn.Sequential(nn.Conv1d(1, 16, 7), nn.ReLU(), nn.AdaptiveAvgPool1d(1), nn.Flatten(), nn.Linear(16, 5))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(15):
        model.train()
        for xb, yb in tr_dl:
            optimizer.zero_grad()
            criterion(model(xb.unsqueeze(1)), yb).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            hits = [(model(xb.unsqueeze(1)).argmax(1) == yb).sum().item() for xb, yb in va_dl]
        print(fold, epoch, sum(hits) / len(va_idx))
