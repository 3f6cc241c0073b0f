# A tabular classifier whose StepLR takes its step size from the command line (default 10 epochs)
# and a second schedule for the head from a settings dict spread into StepLR; both are stepped
# once per batch, so the rate decays every 10 batches instead of every 10 epochs.
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=40)
parser.add_argument("--step_size", type=int, default=10)
parser.add_argument("--gamma", type=float, default=0.5)
args = parser.parse_args()

data = TensorDataset(torch.randn(8192, 30), torch.randint(0, 3, (8192,)))
loader = DataLoader(data, batch_size=128, shuffle=True)
body = nn.Sequential(nn.Linear(30, 128), nn.ReLU(), nn.Dropout(0.2))
head = nn.Linear(128, 3)
optimizer = torch.optim.SGD(body.parameters(), lr=0.1, momentum=0.9)
head_optimizer = torch.optim.SGD(head.parameters(), lr=0.1, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=args.step_size, gamma=args.gamma)
head_cfg = {"step_size": 10, "gamma": 0.3}
head_scheduler = torch.optim.lr_scheduler.StepLR(head_optimizer, **head_cfg)
criterion = nn.CrossEntropyLoss()

for epoch in range(args.epochs):
    for x, y in loader:
        optimizer.zero_grad()
        head_optimizer.zero_grad()
        loss = criterion(head(body(x)), y)
        loss.backward()
        optimizer.step()
        head_optimizer.step()
        scheduler.step()  # expect: FIT002
        head_scheduler.step()  # expect: FIT002
