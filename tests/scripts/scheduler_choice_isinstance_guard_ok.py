"""Speech recognition training with the scheduler chosen on the command line (exponential decay or
plateau); the step call branches on the scheduler's type, and only the exponential one takes the
bare `step()`."""
import argparse

import torch
from torch.optim.lr_scheduler import ExponentialLR, ReduceLROnPlateau


def train_one_epoch(model, loader, optimizer, criterion):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


@torch.no_grad()
def evaluate(model, loader, criterion):
    model.eval()
    return sum(criterion(model(x), y).item() for x, y in loader) / len(loader)


def main(model, train_loader, val_loader, criterion):
    parser = argparse.ArgumentParser()
    parser.add_argument("--scheduler", default="reduceonplateau", choices=["exponential", "reduceonplateau"])
    parser.add_argument("--gamma", type=float, default=0.98)
    args = parser.parse_args()
    optimizer = torch.optim.Adadelta(model.parameters(), lr=0.6, weight_decay=1e-5)
    if args.scheduler == "exponential":
        scheduler = ExponentialLR(optimizer, gamma=args.gamma)
    elif args.scheduler == "reduceonplateau":
        scheduler = ReduceLROnPlateau(optimizer, patience=10, threshold=1e-3)
    for epoch in range(40):
        train_one_epoch(model, train_loader, optimizer, criterion)
        val_loss = evaluate(model, val_loader, criterion)
        if isinstance(scheduler, ReduceLROnPlateau):
            scheduler.step(val_loss)
        else:
            scheduler.step()
