"""The CRNN trainer handing the meter of utils.py the loss's value."""
import torch
import torch.nn as nn

from utils import AverageMeter


def train_epoch(model, loader, optimizer, criterion):
    losses = AverageMeter()
    model.train()
    for imgs, targets, lengths in loader:
        optimizer.zero_grad()
        log_probs = model(imgs).log_softmax(2)
        input_lengths = torch.full((imgs.size(0),), log_probs.size(0), dtype=torch.long)
        loss = criterion(log_probs, targets, input_lengths, lengths)
        loss.backward()
        optimizer.step()
        losses.update(loss.item(), imgs.size(0))
    return losses.avg


def main(model, loader):
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    criterion = nn.CTCLoss(blank=0, zero_infinity=True)
    for epoch in range(30):
        print(epoch, float(train_epoch(model, loader, optimizer, criterion)))
