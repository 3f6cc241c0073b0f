"""A research training script whose training and validation loops share one step helper:
`run_batch(model, batch, criterion)` runs the forward pass and returns the loss and accuracy.
The training loop calls backward() on what it returns; the validation loop only reads it, after
model.eval() but with autograd on: every validation batch records a graph through the helper.
"""
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from data import build_datasets


class Classifier(nn.Module):
    def __init__(self, n_features, n_classes):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(n_features, 256), nn.ReLU(), nn.Dropout(0.3),
                                 nn.Linear(256, n_classes))

    def forward(self, x):
        return self.net(x)


def run_batch(model, batch, criterion, device):
    x, y = (t.to(device) for t in batch)
    logits = model(x)
    return criterion(logits, y), (logits.argmax(1) == y).float().mean()


def main(args):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_set, val_set = build_datasets(args.data)
    train_loader = DataLoader(train_set, batch_size=args.batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)
    model = Classifier(train_set.n_features, train_set.n_classes).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr)
    best = 0.0
    for epoch in range(args.epochs):
        model.train()
        for batch in train_loader:
            optimizer.zero_grad()
            loss, _ = run_batch(model, batch, criterion, device)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0.0
        for batch in val_loader:  # FIT202
            _, acc = run_batch(model, batch, criterion, device)
            correct += acc.item()
        val_acc = correct / len(val_loader)
        if val_acc > best:
            best = val_acc
            torch.save(model.state_dict(), "best.pt")
        print(f"epoch {epoch} val acc {val_acc:.4f}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", default="data/")
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--batch_size", type=int, default=64)
    parser.add_argument("--lr", type=float, default=1e-3)
    main(parser.parse_args())
