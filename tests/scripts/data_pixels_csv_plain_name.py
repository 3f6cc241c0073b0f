"""The Kaggle digit recognizer read from a plain `train.csv`: 784 pixel columns of 0..255 values,
cast to float and fed to an MLP with 784 inputs, unscaled. The file treats each row as a 28x28
image, which is what says the columns are pixels (FIT401)."""
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

train_df = pd.read_csv("train.csv")
X_train = torch.tensor(train_df.drop("label", axis=1).values, dtype=torch.float32)  # expect: FIT401
y_train = torch.tensor(train_df["label"].values)
loader = DataLoader(TensorDataset(X_train, y_train), batch_size=64, shuffle=True)
model = nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for epoch in range(10):
    for xb, yb in loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(model(xb), yb).backward()
        optimizer.step()
