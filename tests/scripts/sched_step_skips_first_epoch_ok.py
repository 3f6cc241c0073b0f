"""`scheduler.step()` at the top of the epoch behind a guard that skips the first epoch runs
right after the previous epoch's training: the order PyTorch asks for, written the other way
round. Also with the epoch loop resumed from `args.start_epoch`, and the guard written `1 < epoch`
in a loop counted from 1.
"""
import argparse

import torch
from torch import nn, optim

parser = argparse.ArgumentParser()
parser.add_argument("--start_epoch", type=int, default=0)
parser.add_argument("--epochs", type=int, default=30)
args = parser.parse_args()

model = nn.Sequential(nn.Linear(20, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 2))
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = optim.lr_scheduler.StepLR(optimizer, step_size=10, gamma=0.1)
loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(torch.randn(512, 20), torch.randint(0, 2, (512,))),
                                     batch_size=32, shuffle=True)


def train_epoch():
    model.train()
    for x, y in loader:
        loss = nn.functional.cross_entropy(model(x), y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


for epoch in range(30):
    if epoch > 0:
        scheduler.step()
    train_epoch()

for epoch in range(args.start_epoch, args.epochs):
    if epoch != args.start_epoch:
        scheduler.step()
    train_epoch()

for epoch in range(1, 31):
    if 1 < epoch:
        scheduler.step()
    train_epoch()
