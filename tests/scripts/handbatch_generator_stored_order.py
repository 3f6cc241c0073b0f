# A tabular classifier batched by a generator of the file that slices the arrays in stored order:
# the rows of churn.csv arrive in the same order every epoch and nothing ever permutes them.
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


def iterate_minibatches(X, y, batch_size):
    for start in range(0, len(X), batch_size):
        yield X[start:start + batch_size], y[start:start + batch_size]  # expect: FIT101


df = pd.read_csv("churn.csv")
X = df.drop(columns=["churn"]).values.astype(np.float32)
y = df["churn"].values.astype(np.int64)
val_df = pd.read_csv("churn_val.csv")
X_train, y_train = X, y
X_val = val_df.drop(columns=["churn"]).values.astype(np.float32)
y_val = val_df["churn"].values.astype(np.int64)
scaler = StandardScaler().fit(X_train)
X_train = torch.tensor(scaler.transform(X_train), dtype=torch.float32)
X_val = torch.tensor(scaler.transform(X_val), dtype=torch.float32)
y_train, y_val = torch.tensor(y_train), torch.tensor(y_val)

model = nn.Sequential(nn.Linear(X.shape[1], 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(30):
    model.train()
    for xb, yb in iterate_minibatches(X_train, y_train, 64):
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        acc = (model(X_val).argmax(1) == y_val).float().mean().item()
    print(epoch, acc)
