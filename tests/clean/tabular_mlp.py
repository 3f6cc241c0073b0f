"""A tabular classifier: pandas for the data, a stratified split, the scaler fitted on the training
part, class weights in the loss, the best epoch chosen on the validation F1."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from sklearn.metrics import f1_score
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler
from torch.utils.data import DataLoader, TensorDataset

df = pd.read_csv("churn.csv").dropna()
y = df.pop("churned").astype(int).values
X = pd.get_dummies(df, columns=["plan", "region"]).values.astype(np.float32)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=7)
scaler = StandardScaler().fit(X_train)
X_train, X_val = scaler.transform(X_train).astype(np.float32), scaler.transform(X_val).astype(np.float32)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)), batch_size=256, shuffle=True)
X_val_t = torch.from_numpy(X_val)

model = nn.Sequential(nn.Linear(X.shape[1], 128), nn.BatchNorm1d(128), nn.ReLU(), nn.Dropout(0.3),
                      nn.Linear(128, 64), nn.ReLU(), nn.Linear(64, 2))
weights = torch.tensor(len(y_train) / (2 * np.bincount(y_train)), dtype=torch.float32)
criterion = nn.CrossEntropyLoss(weight=weights)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-3)
best_f1 = 0.0
for epoch in range(60):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        predictions = model(X_val_t).argmax(1).numpy()
    f1 = f1_score(y_val, predictions)
    if f1 > best_f1:
        best_f1 = f1
        torch.save(model.state_dict(), "best_tabular.pt")
print(f"best validation F1 {best_f1:.3f}")
