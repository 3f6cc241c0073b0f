"""Mechanisms-of-action multi-label MLP in a Kaggle kernel's shape: the loss class is kept in the
config dict and built from there; the model's head returns the logits."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

CFG = {"hidden": 512, "dropout": 0.3, "lr": 1e-3, "epochs": 20, "loss": nn.BCEWithLogitsLoss}


class MoANet(nn.Module):
    def __init__(self, n_in, n_out):
        super().__init__()
        self.body = nn.Sequential(nn.Linear(n_in, CFG["hidden"]), nn.BatchNorm1d(CFG["hidden"]), nn.ReLU(),
                                  nn.Dropout(CFG["dropout"]), nn.Linear(CFG["hidden"], n_out))

    def forward(self, x):
        return self.body(x)


def main(train_set, n_in, n_out):
    loader = DataLoader(train_set, batch_size=128, shuffle=True)
    model = MoANet(n_in, n_out)
    criterion = CFG["loss"]()
    optimizer = torch.optim.Adam(model.parameters(), lr=CFG["lr"], weight_decay=1e-5)
    for epoch in range(CFG["epochs"]):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
