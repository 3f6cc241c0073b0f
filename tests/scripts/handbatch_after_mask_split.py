# Gene-expression classifier: a random boolean mask holds out the validation rows, but a mask keeps
# the rows it selects in stored order (grouped by class in the file), and the training loop slices
# its batches in that order every epoch.
import numpy as np
import pandas as pd
import torch
import torch.nn as nn

df = pd.read_csv("expression_by_class.csv")
X_all = np.log1p(df.drop(columns=["label"]).values.astype(np.float32))
y_all = df["label"].values.astype(np.int64)
rng = np.random.default_rng(0)
val_mask = rng.random(len(df)) < 0.2
X_train, y_train = torch.from_numpy(X_all[~val_mask]), torch.from_numpy(y_all[~val_mask])
X_val, y_val = torch.from_numpy(X_all[val_mask]), torch.from_numpy(y_all[val_mask])

model = nn.Sequential(nn.Linear(X_all.shape[1], 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
BATCH = 64
for epoch in range(50):
    model.train()
    for i in range(0, len(X_train), BATCH):
        xb, yb = X_train[i:i + BATCH], y_train[i:i + BATCH]  # expect: FIT101
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        print(epoch, (model(X_val).argmax(1) == y_val).float().mean().item())
