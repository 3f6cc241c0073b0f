"""Correct data handling that looks like the mistakes FIT103 and FIT603 flag; nothing here may be
reported.

- features and labels shuffled with one permutation, with ``sklearn.utils.shuffle(X, y)``, as a
  list of (x, y) pairs, through a shuffled index list, and twice with the same seed set again;
- a data frame holding the features and the label column, shuffled as a whole;
- patches shuffled within one image (augmentation, in ``__getitem__``);
- a validation split carved off with ``random_split``, a test set built with ``train=False``, two
  samplers over disjoint indices of one dataset;
- the training loader evaluated on purpose to report training accuracy.
"""
import random

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.utils import shuffle
from torch.utils.data import DataLoader, Dataset, SubsetRandomSampler, TensorDataset, random_split
from torchvision import datasets, transforms


def load_tabular(path):
    df = pd.read_csv(path)
    df = df.sample(frac=1, random_state=0).reset_index(drop=True)
    X = df.drop(columns=["label"]).values.astype(np.float32)
    y = df["label"].values.astype(np.int64)
    return X, y


def permuted_once(X, y):
    perm = np.random.permutation(len(X))
    X, y = X[perm], y[perm]
    return X, y


def shuffled_with_sklearn(X, y):
    X, y = shuffle(X, y, random_state=42)
    return X, y


def shuffled_as_pairs(X, y):
    pairs = list(zip(X, y))
    random.shuffle(pairs)
    xs, ys = zip(*pairs)
    return np.stack(xs), np.array(ys)


def shuffled_by_index(X, y):
    indices = np.arange(len(X))
    np.random.shuffle(indices)
    return X[indices], y[indices]


def shuffled_with_same_seed(X, y, seed=0):
    np.random.seed(seed)
    np.random.shuffle(X)
    np.random.seed(seed)
    np.random.shuffle(y)
    return X, y


class PatchShuffleDataset(Dataset):
    """Jigsaw-style augmentation: the rows of patches of one image are shuffled, its label stays."""

    def __init__(self, images, labels):
        self.images = images
        self.labels = labels

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        image = self.images[index].copy()
        np.random.shuffle(image)
        return torch.from_numpy(image), int(self.labels[index])


class Net(nn.Module):
    def __init__(self, n_features, n_classes):
        super().__init__()
        self.fc1 = nn.Linear(n_features, 128)
        self.drop = nn.Dropout(0.2)
        self.fc2 = nn.Linear(128, n_classes)

    def forward(self, x):
        return self.fc2(self.drop(torch.relu(self.fc1(x))))


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for inputs, targets in loader:
            correct += model(inputs).argmax(1).eq(targets).sum().item()
            total += targets.size(0)
    return correct / total


def fit(model, train_loader, val_loader, epochs=20):
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    for epoch in range(epochs):
        model.train()
        for inputs, targets in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), targets)
            loss.backward()
            optimizer.step()
        train_acc = evaluate(model, train_loader)
        val_acc = evaluate(model, val_loader)
        print(f"epoch {epoch}: train {train_acc:.3f} val {val_acc:.3f}")


def tabular_main():
    X, y = load_tabular("data.csv")
    X, y = permuted_once(X, y)
    X, y = shuffled_with_sklearn(X, y)
    X, y = shuffled_as_pairs(X, y)
    X, y = shuffled_by_index(X, y)
    X, y = shuffled_with_same_seed(X, y)
    X = (X - X.mean(axis=0)) / (X.std(axis=0) + 1e-8)
    full = TensorDataset(torch.from_numpy(X), torch.from_numpy(y))
    train_set, val_set = random_split(full, [0.8, 0.2])
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)
    fit(Net(X.shape[1], 2), train_loader, val_loader)


def image_main():
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    trainset = datasets.MNIST("./data", train=True, download=True, transform=tf)
    testset = datasets.MNIST("./data", train=False, download=True, transform=tf)
    indices = torch.randperm(len(trainset)).tolist()
    train_loader = DataLoader(trainset, batch_size=64, sampler=SubsetRandomSampler(indices[5000:]))
    val_loader = DataLoader(trainset, batch_size=256, sampler=SubsetRandomSampler(indices[:5000]))
    test_loader = DataLoader(testset, batch_size=256, shuffle=False)
    model = nn.Sequential(nn.Flatten(), Net(28 * 28, 10))
    fit(model, train_loader, val_loader)
    print(f"test accuracy {evaluate(model, test_loader):.3f}")


if __name__ == "__main__":
    tabular_main()
    image_main()
