"""The twin of data_labels_shuffled_name_reused_by_loop.py, correct: one permutation puts features
and labels in the same random order; `labels` is reused as the loop variable the same way.
"""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def main():
    features = np.loadtxt("features.csv", delimiter=",", skiprows=1, dtype=np.float32)
    labels = np.loadtxt("labels.csv", delimiter=",", skiprows=1, dtype=np.float32)
    perm = np.random.permutation(len(features))
    features, labels = features[perm], labels[perm]
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
