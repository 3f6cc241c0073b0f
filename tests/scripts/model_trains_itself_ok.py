"""The twin of model_trains_itself.py: fit() switches the model to evaluation mode before it scores
the validation arrays. predict() runs in whatever mode its caller set (the script calls
model.eval() first): the model's methods that do not train it stay its callers' business."""
import numpy as np
import torch
import torch.nn as nn


class TabularNet(nn.Module):
    def __init__(self, n_features, n_classes):
        super().__init__()
        self.body = nn.Sequential(
            nn.Linear(n_features, 128), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(128, n_classes),
        )

    def forward(self, x):
        return self.body(x)

    def fit(self, X, y, X_val, y_val, epochs=30, batch_size=64):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        criterion = nn.CrossEntropyLoss()
        for epoch in range(epochs):
            self.train()
            perm = torch.randperm(len(X))
            for start in range(0, len(X), batch_size):
                idx = perm[start:start + batch_size]
                optimizer.zero_grad()
                loss = criterion(self(X[idx]), y[idx])
                loss.backward()
                optimizer.step()
            self.eval()
            with torch.no_grad():
                val_pred = self(X_val)
                val_acc = (val_pred.argmax(1) == y_val).float().mean().item()
            print(f"epoch {epoch}: val acc {val_acc:.3f}")
        return self

    def predict(self, X):
        with torch.no_grad():
            return self(X).argmax(1)


data = np.load("features.npz")
X_train = torch.tensor(data["X_train"], dtype=torch.float32)
y_train = torch.tensor(data["y_train"], dtype=torch.long)
X_val = torch.tensor(data["X_val"], dtype=torch.float32)
y_val = torch.tensor(data["y_val"], dtype=torch.long)
model = TabularNet(X_train.shape[1], 3).fit(X_train, y_train, X_val, y_val)
model.eval()
print(model.predict(X_val))
