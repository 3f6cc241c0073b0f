"""Deep residual CIFAR practice script, fixed: the shared `one_epoch` helper switches the mode by
its flag (`model.train(update)`), so validation runs the batch-norm ResNet in evaluation mode."""
from time import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class ResBlock(nn.Module):
    def __init__(self, n_chans):
        super().__init__()
        self.conv = nn.Conv2d(n_chans, n_chans, kernel_size=3, padding=1, bias=False)
        self.batch_norm = nn.BatchNorm2d(num_features=n_chans)

    def forward(self, x):
        return torch.relu(self.batch_norm(self.conv(x))) + x


class NetResDeep(nn.Module):
    def __init__(self, n_chans=32, n_blocks=10):
        super().__init__()
        self.conv1 = nn.Conv2d(3, n_chans, kernel_size=3, padding=1)
        self.res_blocks = nn.Sequential(*[ResBlock(n_chans) for _ in range(n_blocks)])
        self.fc = nn.Linear(8 * 8 * n_chans, 10)

    def forward(self, x):
        out = F.max_pool2d(torch.relu(self.conv1(x)), 2)
        out = F.max_pool2d(self.res_blocks(out), 2)
        return self.fc(out.flatten(1))


def one_epoch(model, loss_fn, data_loader, optimizer=None):
    update = optimizer is not None
    model.train(update)
    correct = total = 0
    for imgs, labels in data_loader:
        with torch.set_grad_enabled(update):
            loss = loss_fn(model(imgs), labels)
        if update:
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
    return loss.item()


def train(model, loss_fn, optimizer, train_loader, val_loader, epochs):
    for epoch in range(epochs):
        start = time()
        train_loss = one_epoch(model, loss_fn, train_loader, optimizer)
        if epoch % 5 == 0:
            val_loss = one_epoch(model, loss_fn, val_loader)
            print(epoch, train_loss, val_loss, time() - start)


def main(train_loader, val_loader):
    model = NetResDeep()
    optimizer = torch.optim.SGD(model.parameters(), lr=3e-3, weight_decay=1e-4)
    train(model, nn.CrossEntropyLoss(), optimizer, train_loader, val_loader, 100)
