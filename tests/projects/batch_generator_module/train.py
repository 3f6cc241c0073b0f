"""Trains the income MLP on batches from the data module's generator."""
import torch
import torch.nn as nn

from data import iterate_minibatches, load_split


def train_epoch(model, X, y, optimizer, criterion, batch_size):
    model.train()
    for xb, yb in iterate_minibatches(X, y, batch_size):
        optimizer.zero_grad()
        loss = criterion(model(xb), yb)
        loss.backward()
        optimizer.step()


def main():
    X_train, y_train, mean, std = load_split("adult_train.csv")
    X_valid, y_valid, _, _ = load_split("adult_valid.csv", mean, std)
    model = nn.Sequential(nn.Linear(X_train.shape[1], 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3, weight_decay=1e-2)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(30):
        train_epoch(model, X_train, y_train, optimizer, criterion, 256)
        model.eval()
        with torch.no_grad():
            accuracy = (model(X_valid).argmax(1) == y_valid).float().mean().item()
        print(epoch, accuracy)


if __name__ == "__main__":
    main()
