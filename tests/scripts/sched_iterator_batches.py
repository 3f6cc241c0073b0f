"""Iteration-counted training in the older style: the loop counts steps and pulls each batch
with `train_iter.next()` from an iterator made before it. CosineAnnealingLR is sized in epochs
(`T_max=epochs`) but stepped in that batch loop, so its whole cosine is spent within the first
epoch's first `epochs` batches (FIT002)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

epochs, eval_step = 100, 1024
train_loader = DataLoader(TensorDataset(torch.randn(5000, 32), torch.randint(0, 10, (5000,))),
                          batch_size=64, shuffle=True, drop_last=True)
model = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Linear(64, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.03, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
criterion = nn.CrossEntropyLoss()

train_iter = iter(train_loader)
for epoch in range(epochs):
    model.train()
    for batch_idx in range(eval_step):
        try:
            inputs, targets = train_iter.next()
        except StopIteration:
            train_iter = iter(train_loader)
            inputs, targets = train_iter.next()
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()
        scheduler.step()  # FIT002
