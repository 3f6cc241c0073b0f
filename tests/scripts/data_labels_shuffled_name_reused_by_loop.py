"""Features and labels read from two CSV files and shuffled by two independent calls (FIT103); the
name `labels` is reused later as the loop variable over the loader, which does not make the first
shuffle a per-sample one: the shuffled arrays are the data set the model trains on.
"""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    features = np.loadtxt("features.csv", delimiter=",", skiprows=1, dtype=np.float32)
    labels = np.loadtxt("labels.csv", delimiter=",", skiprows=1, dtype=np.float32)
    np.random.shuffle(features)
    np.random.shuffle(labels)  # FIT103
    n_train = int(len(features) * 0.75)
    train_dataset = TensorDataset(torch.tensor(features[:n_train]), torch.tensor(labels[:n_train]))
    train_loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
    model = nn.Sequential(nn.Linear(features.shape[1], 1), nn.Sigmoid())
    optimizer = torch.optim.Adam(model.parameters(), lr=0.01, weight_decay=1e-4)
    criterion = nn.BCELoss()
    for epoch in range(10):
        for inputs, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels.unsqueeze(1))
            loss.backward()
            optimizer.step()


if __name__ == "__main__":
    main()
