"""An ImageNet-style training loop with the usual AverageMeter: `losses.update(loss, n)` hands the
loss tensor itself to the meter, whose `update` adds it to `self.sum`, so every batch's graph
stays alive for the epoch (FIT502)."""
import time

import torch
import torch.nn as nn


class AverageMeter(object):
    """Computes and stores the average and current value."""

    def __init__(self):
        self.reset()

    def reset(self):
        self.val = 0
        self.avg = 0
        self.sum = 0
        self.count = 0

    def update(self, val, n=1):
        self.val = val
        self.sum += val * n
        self.count += n
        self.avg = self.sum / self.count


def train(train_loader, model, criterion, optimizer, epoch):
    batch_time = AverageMeter()
    losses = AverageMeter()
    model.train()
    end = time.time()
    for i, (images, target) in enumerate(train_loader):
        output = model(images)
        loss = criterion(output, target)
        losses.update(loss, images.size(0))  # expect: FIT502
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_time.update(time.time() - end)
        end = time.time()
        if i % 10 == 0:
            print(f"epoch {epoch} [{i}/{len(train_loader)}] loss {losses.val:.4f} ({losses.avg:.4f})")


def main(train_loader, model):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
    for epoch in range(90):
        train(train_loader, model, criterion, optimizer, epoch)
