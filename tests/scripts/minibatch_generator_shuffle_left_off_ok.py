"""EMG gesture classifier with the `iterate_minibatches(..., shuffle=False)` generator, fixed: the
training loop passes `shuffle=True`; the validation pass keeps the stored order, which is fine."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn


def iterate_minibatches(inputs, targets, batchsize, shuffle=False):
    assert len(inputs) == len(targets)
    if shuffle:
        indices = np.arange(len(inputs))
        np.random.shuffle(indices)
    for start_idx in range(0, len(inputs), batchsize):
        if shuffle:
            excerpt = indices[start_idx:start_idx + batchsize]
        else:
            excerpt = slice(start_idx, start_idx + batchsize)
        yield inputs[excerpt], targets[excerpt]


train_df, val_df = pd.read_csv("emg_train.csv"), pd.read_csv("emg_val.csv")
columns = [c for c in train_df.columns if c.startswith("emg_")]
mean, std = train_df[columns].values.mean(0), train_df[columns].values.std(0) + 1e-8
X_train = ((train_df[columns].values - mean) / std).astype(np.float32)
X_val = ((val_df[columns].values - mean) / std).astype(np.float32)
y_train, y_val = train_df["gesture"].values, val_df["gesture"].values

model = nn.Sequential(nn.Linear(len(columns), 128), nn.ReLU(), nn.Dropout(0.3), nn.Linear(128, 6))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    model.train()
    for xb, yb in iterate_minibatches(X_train, y_train, 128, shuffle=True):
        optimizer.zero_grad()
        loss = criterion(model(torch.from_numpy(xb)), torch.from_numpy(yb))
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(torch.from_numpy(xb)).argmax(1).numpy() == yb).sum()
                      for xb, yb in iterate_minibatches(X_val, y_val, 512))
    print(epoch, correct / len(X_val))
