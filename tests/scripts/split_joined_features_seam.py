"""The MoA kernel holding out the last fifth of the training rows, in the order the training file
stores them, as its validation part (FIT102), after the joined features are cut back into the
two files at their lengths."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.decomposition import PCA
from sklearn.feature_selection import VarianceThreshold

train_features = pd.read_csv("../input/lish-moa/train_features.csv")
test_features = pd.read_csv("../input/lish-moa/test_features.csv")
train_targets = pd.read_csv("../input/lish-moa/train_targets_scored.csv").drop(columns=["sig_id"])
GENES = [col for col in train_features.columns if col.startswith("g-")]

data = pd.concat([pd.DataFrame(train_features[GENES]), pd.DataFrame(test_features[GENES])])
data2 = PCA(n_components=600, random_state=42).fit_transform(data[GENES])
train2 = data2[:train_features.shape[0]]
test2 = data2[-test_features.shape[0]:]

var_thresh = VarianceThreshold(0.8)
joined = pd.DataFrame(train2).append(pd.DataFrame(test2))
reduced = var_thresh.fit_transform(joined.iloc[:, 4:])
X = reduced[:train2.shape[0]].astype(np.float32)
X_test = reduced[-test2.shape[0]:].astype(np.float32)
y = train_targets.values.astype(np.float32)

n_train = int(0.8 * len(X))
X_tr_all, X_val = X[:n_train], X[n_train:]  # expect: FIT102
y_tr_all, y_val = y[:n_train], y[n_train:]
for fold, (tr_idx, va_idx) in enumerate([(np.arange(n_train), np.arange(n_train, len(X)))]):
    model = nn.Sequential(nn.Linear(X.shape[1], 512), nn.BatchNorm1d(512), nn.Dropout(0.3), nn.ReLU(),
                          nn.Linear(512, y.shape[1]))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    criterion = nn.BCEWithLogitsLoss()
    x_tr, y_tr = torch.tensor(X[tr_idx]), torch.tensor(y[tr_idx])
    x_va, y_va = torch.tensor(X[va_idx]), torch.tensor(y[va_idx])
    for epoch in range(20):
        model.train()
        perm = torch.randperm(len(x_tr))
        for i in range(0, len(x_tr), 128):
            idx = perm[i:i + 128]
            optimizer.zero_grad()
            criterion(model(x_tr[idx]), y_tr[idx]).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            print(fold, epoch, criterion(model(x_va), y_va).item())
