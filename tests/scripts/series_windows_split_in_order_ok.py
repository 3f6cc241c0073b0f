"""A 1-D network predicting the next value of a yield series from the 24 before it: the series is
split by position (first 60% train, next 25% validation, last 15% test), and each part is cut into
sliding windows afterwards. Predicting what comes next, holding out the latest stretch is the point
(no word of the file says so: the sliding windows and the regression loss do)."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

df_use = pd.read_csv("american_1.csv")[["Yield"]]
df_use = df_use[5000:8000]


class WindowSet(Dataset):
    def __init__(self, items):
        self.items = items

    def __getitem__(self, index):
        return self.items[index]

    def __len__(self):
        return len(self.items)


def make_loaders(batch_size):
    dataset = df_use
    train = dataset[:int(len(dataset) * 0.6)]
    val = dataset[int(len(dataset) * 0.6):int(len(dataset) * 0.85)]
    test = dataset[int(len(dataset) * 0.85):len(dataset)]
    hi, lo = np.max(train[train.columns[0]]), np.min(train[train.columns[0]])

    def cut(part, shuffle):
        load = ((part[part.columns[0]] - lo) / (hi - lo)).tolist()
        items = []
        for i in range(len(load) - 24):
            window = torch.FloatTensor([[load[j]] for j in range(i, i + 24)])
            items.append((window, torch.FloatTensor([load[i + 24]])))
        return DataLoader(WindowSet(items), batch_size=batch_size, shuffle=shuffle, drop_last=True)

    return cut(train, True), cut(val, True), cut(test, False)


train_loader, val_loader, test_loader = make_loaders(32)
model = nn.Sequential(nn.Flatten(), nn.Linear(24, 64), nn.ReLU(), nn.Linear(64, 1))
loss_function = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(30):
    model.train()
    for seq, label in train_loader:
        optimizer.zero_grad()
        loss_function(model(seq), label).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(loss_function(model(seq), label).item() for seq, label in val_loader) / len(val_loader)
    print(epoch, val_loss)
