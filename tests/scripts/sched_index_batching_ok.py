"""The twin of sched_index_batching.py: the StepLR is stepped once per epoch, after the index loop."""
import torch
import torch.nn as nn

model = nn.Linear(20, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)
scheduler = torch.optim.lr_scheduler.StepLR(optimizer, step_size=15, gamma=0.1)
criterion = nn.CrossEntropyLoss()
X, y = torch.randn(1000, 20), torch.randint(0, 2, (1000,))
for epoch in range(40):
    perm = torch.randperm(len(X))
    for i in range(0, len(X), 32):
        idx = perm[i:i + 32]
        optimizer.zero_grad()
        loss = criterion(model(X[idx]), y[idx])
        loss.backward()
        optimizer.step()
    scheduler.step()
