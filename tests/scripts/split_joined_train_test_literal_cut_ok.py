"""The Titanic kernel's preprocessing: the competition's train and test files are joined to encode
both alike (`pd.concat([df_train, df_test]).reset_index()`), then cut back where the training
rows end, written as the number it is (`df_all.iloc[:891]`, `df_all.iloc[891:]`). The test rows
are Kaggle's unlabelled submission rows, not a validation split of the training data; the
validation split is a shuffled `train_test_split`: nothing to report."""
import pandas as pd
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split

df_train = pd.read_csv("train.csv")
df_test = pd.read_csv("test.csv")
df_all = pd.concat([df_train, df_test], sort=True).reset_index(drop=True)
df_all["Age"] = df_all["Age"].fillna(df_all["Age"].median())
df_all["Sex"] = df_all["Sex"].map({"male": 0, "female": 1})
features = ["Pclass", "Sex", "Age", "SibSp", "Parch"]
train = df_all.iloc[:891]
test = df_all.iloc[891:]
X_train, X_val, y_train, y_val = train_test_split(train[features].values, train["Survived"].values,
                                                  test_size=0.2, random_state=0)
X_train, y_train = torch.tensor(X_train, dtype=torch.float32), torch.tensor(y_train, dtype=torch.float32)
X_val, y_val = torch.tensor(X_val, dtype=torch.float32), torch.tensor(y_val, dtype=torch.float32)
model = nn.Sequential(nn.Linear(5, 16), nn.ReLU(), nn.Linear(16, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2, weight_decay=1e-4)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(200):
    model.train()
    optimizer.zero_grad()
    criterion(model(X_train).squeeze(1), y_train).backward()
    optimizer.step()
model.eval()
with torch.no_grad():
    print("validation accuracy", ((model(X_val).squeeze(1) > 0).float() == y_val).float().mean().item())
    submission = model(torch.tensor(test[features].values, dtype=torch.float32)).squeeze(1) > 0
