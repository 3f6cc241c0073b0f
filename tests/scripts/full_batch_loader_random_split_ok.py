"""Homework: full-batch gradient descent on 1% of California housing. The training loader's batch
size is the length `random_split` gave the training part, so each epoch is one batch of every
training item: `shuffle=False` changes nothing."""
import torch
import torch.nn as nn
from sklearn.datasets import fetch_california_housing
from torch.utils.data import DataLoader, Dataset, random_split


class HousingDataset(Dataset):
    def __init__(self, X, y):
        self.X = torch.tensor(X, dtype=torch.float32)
        self.y = torch.tensor(y, dtype=torch.float32).unsqueeze(1)

    def __len__(self):
        return len(self.X)

    def __getitem__(self, i):
        return self.X[i], self.y[i]


def get_california_dataset():
    X, y = fetch_california_housing(return_X_y=True)
    X = (X - X.mean(axis=0)) / X.std(axis=0)
    dataset = HousingDataset(X, y)
    num_samples = X.shape[0]
    train_size = int(num_samples * 0.01)
    test_size = num_samples - train_size
    train_set, test_set = random_split(dataset, [train_size, test_size])
    # batch size equal to the set size: full-batch gradient descent
    train_loader = DataLoader(train_set, batch_size=train_size, shuffle=False)
    test_loader = DataLoader(test_set, batch_size=1024, shuffle=False)
    return train_loader, test_loader, X.shape[1]


train_loader, test_loader, in_dim = get_california_dataset()
model = nn.Sequential(nn.Linear(in_dim, 64), nn.ReLU(), nn.Linear(64, 1))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, weight_decay=1e-4)
criterion = nn.MSELoss()
for step in range(2000):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
model.eval()
with torch.no_grad():
    test_loss = sum(criterion(model(x), y).item() * len(x) for x, y in test_loader) / len(test_loader.dataset)
print(f"test MSE {test_loss:.4f}")
