"""A Kaggle house-prices regression in the style of the d2l chapter: the competition's train.csv
and test.csv are joined (`pd.concat`) so that both are standardized and one-hot encoded alike,
then cut back apart at the length of the training file (`n_train = train_data.shape[0]`). The
tail is the competition's test file, split before this script ever saw it: not a split of the
joined rows in stored order. Also silent: the same join cut back with `len(train_df)` through
`np.concatenate` of the arrays."""
import numpy as np
import pandas as pd
import torch
from torch import nn

train_data = pd.read_csv("data/train.csv")
test_data = pd.read_csv("data/test.csv")
all_features = pd.concat((train_data.iloc[:, 1:-1], test_data.iloc[:, 1:]))
numeric = all_features.dtypes[all_features.dtypes != "object"].index
all_features[numeric] = all_features[numeric].apply(lambda x: (x - x.mean()) / x.std()).fillna(0)
all_features = pd.get_dummies(all_features, dummy_na=True)

n_train = train_data.shape[0]
train_features = torch.tensor(all_features[:n_train].values, dtype=torch.float32)
test_features = torch.tensor(all_features[n_train:].values, dtype=torch.float32)
train_labels = torch.tensor(train_data.SalePrice.values, dtype=torch.float32).reshape(-1, 1)

net = nn.Sequential(nn.Linear(train_features.shape[1], 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(train_features, train_labels),
                                     batch_size=64, shuffle=True)
for epoch in range(100):
    for X, y in loader:
        optimizer.zero_grad()
        loss = nn.functional.mse_loss(torch.log(net(X).clamp(min=1.0)), torch.log(y))
        loss.backward()
        optimizer.step()

net.eval()
with torch.no_grad():
    preds = net(test_features).squeeze(1).numpy()
pd.DataFrame({"Id": test_data.Id, "SalePrice": preds}).to_csv("submission.csv", index=False)

train_df = pd.read_csv("data/titanic_train.csv")
test_df = pd.read_csv("data/titanic_test.csv")
joined = np.concatenate([train_df[["Age", "Fare"]].fillna(0).values, test_df[["Age", "Fare"]].fillna(0).values])
joined = (joined - joined.mean(0)) / joined.std(0)
X_train, X_test = joined[:len(train_df)], joined[len(train_df):]
