"""Surname-origin classification with a character GRU, configured by nested dataclasses: the
experiment config holds an `OptimConfig` through `field(default_factory=...)`, and the optimizer
is built by a helper handed `cfg.optim`. Its default rate, 0.1, is far too high for AdamW."""
from dataclasses import dataclass, field

import torch
import torch.nn as nn
from torch.utils.data import DataLoader


@dataclass
class OptimConfig:
    name: str = "adamw"
    lr: float = 0.1  # expect: FIT505
    weight_decay: float = 0.01
    epochs: int = 30


@dataclass
class ExperimentConfig:
    seed: int = 0
    hidden: int = 128
    optim: OptimConfig = field(default_factory=OptimConfig)


class CharGRU(nn.Module):
    def __init__(self, n_chars, n_classes, hidden):
        super().__init__()
        self.emb = nn.Embedding(n_chars, 32, padding_idx=0)
        self.gru = nn.GRU(32, hidden, 2, batch_first=True, dropout=0.3)
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, x):
        _, h = self.gru(self.emb(x))
        return self.out(h[-1])


def build_optimizer(params, cfg: OptimConfig):
    if cfg.name == "adamw":
        return torch.optim.AdamW(params, lr=cfg.lr, weight_decay=cfg.weight_decay)
    raise ValueError(f"unknown optimizer {cfg.name}")


def run(cfg: ExperimentConfig, train_set, n_chars, n_classes):
    torch.manual_seed(cfg.seed)
    loader = DataLoader(train_set, batch_size=64, shuffle=True)
    model = CharGRU(n_chars, n_classes, cfg.hidden)
    optimizer = build_optimizer(model.parameters(), cfg.optim)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(cfg.optim.epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()


def main(train_set, n_chars, n_classes):
    run(ExperimentConfig(), train_set, n_chars, n_classes)
