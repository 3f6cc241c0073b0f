# A Kaggle tabular split helper that cuts its frame head/tail: the caller hands it the rows already
# shuffled (df.sample(frac=1) written inside the call), so the cut is random.
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

SEED = 42


def split_frame(frame, val_frac=0.2):
    n_val = int(len(frame) * val_frac)
    return frame.iloc[n_val:], frame.iloc[:n_val]


df = pd.read_csv("../input/tabular/train.csv")
train_df, val_df = split_frame(df.sample(frac=1, random_state=SEED))
features = [c for c in df.columns if c != "target"]


def tensors(frame):
    return (torch.tensor(frame[features].values, dtype=torch.float32),
            torch.tensor(frame["target"].values, dtype=torch.long))


train_loader = DataLoader(TensorDataset(*tensors(train_df)), batch_size=256, shuffle=True)
val_loader = DataLoader(TensorDataset(*tensors(val_df)), batch_size=1024)
model = nn.Sequential(nn.Linear(len(features), 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        print(epoch, sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader))
