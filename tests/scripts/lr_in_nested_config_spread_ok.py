"""Character-level CNN for text classification with every setting in one config dict; the
optimizer's settings are a nested dict spread into AdamW, and its learning rate is 3e-4."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

cfg = {
    "batch_size": 128,
    "epochs": 10,
    "optim": {"lr": 3e-4, "weight_decay": 0.01, "betas": (0.9, 0.98)},
}


class CharCNN(nn.Module):
    def __init__(self, vocab, n_classes=4):
        super().__init__()
        self.embed = nn.Embedding(vocab, 64)
        self.conv = nn.Conv1d(64, 128, 5, padding=2)
        self.fc = nn.Linear(128, n_classes)

    def forward(self, x):
        h = torch.relu(self.conv(self.embed(x).transpose(1, 2)))
        return self.fc(h.max(dim=2).values)


def main(train_set, vocab):
    loader = DataLoader(train_set, batch_size=cfg["batch_size"], shuffle=True)
    model = CharCNN(vocab)
    optimizer = torch.optim.AdamW(model.parameters(), **cfg["optim"])
    criterion = nn.CrossEntropyLoss()
    for epoch in range(cfg["epochs"]):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
