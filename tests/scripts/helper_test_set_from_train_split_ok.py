import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def load_frames(path="covtype.csv", seed=0):
    df = pd.read_csv(path).sample(frac=1.0, random_state=seed)
    n_val = len(df) // 10
    return df.iloc[n_val:], df.iloc[:n_val]


def make_tensors(df, cols, stats):
    # each call builds new tensors from the frame it is handed
    x = ((df[cols].to_numpy(np.float32) - stats[0]) / stats[1]).astype(np.float32)
    return torch.from_numpy(x), torch.from_numpy(df["cover_type"].to_numpy() - 1).long()


train_df, val_df = load_frames()
cols = [c for c in train_df.columns if c != "cover_type"]
stats = (train_df[cols].to_numpy(np.float32).mean(0), train_df[cols].to_numpy(np.float32).std(0) + 1e-6)
X_tr, y_tr = make_tensors(train_df, cols, stats)
X_va, y_va = make_tensors(val_df, cols, stats)
train_loader = DataLoader(TensorDataset(X_tr, y_tr), batch_size=512, shuffle=True)
val_loader = DataLoader(TensorDataset(X_va, y_va), batch_size=2048)

model = nn.Sequential(nn.Linear(len(cols), 256), nn.ReLU(), nn.Dropout(0.15), nn.Linear(256, 7))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
    print(epoch, correct / len(X_va))
