"""A Keras-like fit() method written in the model class, called with `validation_data=test_data`:
the best checkpoint and early stopping inside it decide on the test split (FIT601)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import StandardScaler


class Classifier(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(d, 64), nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 2))

    def forward(self, x):
        return self.body(x)

    def fit(self, train_data, epochs=100, validation_data=None, patience=10):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        criterion = nn.CrossEntropyLoss()
        best_loss, wait = float("inf"), 0
        for epoch in range(epochs):
            self.train()
            for x, y in train_data:
                optimizer.zero_grad()
                criterion(self(x), y).backward()
                optimizer.step()
            self.eval()
            with torch.no_grad():
                val_loss = sum(criterion(self(x), y).item() for x, y in validation_data)
            if val_loss < best_loss:  # expect: FIT601
                best_loss, wait = val_loss, 0
                torch.save(self.state_dict(), "best.pt")
            else:
                wait += 1
                if wait >= patience:
                    break


X, y = load_breast_cancer(return_X_y=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
scaler = StandardScaler().fit(X_train)
train_data = DataLoader(TensorDataset(torch.tensor(scaler.transform(X_train), dtype=torch.float32), torch.tensor(y_train)),
                        batch_size=32, shuffle=True)
test_data = DataLoader(TensorDataset(torch.tensor(scaler.transform(X_test), dtype=torch.float32), torch.tensor(y_test)),
                       batch_size=256)
model = Classifier(X.shape[1])
model.fit(train_data, epochs=200, validation_data=test_data)  # hands the test data to fit()
