"""Adult-income tabular MLP: a helper encodes a frame into tensors, and the loaders are built
over what it returns, starred into TensorDataset. Early stopping and the saved checkpoint follow
the loss on a validation part held out of the training file."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

NUM = ["age", "hours-per-week", "capital-gain"]
full_df = pd.read_csv("data/adult_train.csv")
val_df = full_df.sample(frac=0.2, random_state=0)
train_df = full_df.drop(val_df.index)
num_mean, num_std = train_df[NUM].mean(), train_df[NUM].std()


def encode(df):
    nums = ((df[NUM] - num_mean) / num_std).values.astype(np.float32)
    return torch.tensor(nums), torch.tensor(df["income"].values, dtype=torch.float32)


train_dl = DataLoader(TensorDataset(*encode(train_df)), batch_size=512, shuffle=True)
eval_dl = DataLoader(TensorDataset(*encode(val_df)), batch_size=4096)

model = nn.Sequential(nn.Linear(len(NUM), 64), nn.ReLU(), nn.Dropout(0.1), nn.Linear(64, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = nn.BCEWithLogitsLoss()


@torch.no_grad()
def evaluate(loader):
    model.eval()
    return sum(criterion(model(x).squeeze(1), y).item() for x, y in loader) / len(loader)


best_loss, wait = float("inf"), 0
for epoch in range(100):
    model.train()
    for x, y in train_dl:
        optimizer.zero_grad()
        criterion(model(x).squeeze(1), y).backward()
        optimizer.step()
    eval_loss = evaluate(eval_dl)
    if eval_loss < best_loss:
        best_loss, wait = eval_loss, 0
        torch.save(model.state_dict(), "adult_mlp.pt")
    else:
        wait += 1
        if wait >= 10:
            break
