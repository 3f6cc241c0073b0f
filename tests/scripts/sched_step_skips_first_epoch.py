"""Guards at the top of the epoch that do not skip the first epoch leave the scheduler stepped
before that epoch's training: `epoch > 0` in a loop counted from 1 holds on every epoch, and a
step every other epoch is still taken before the epoch trains, and the closed form
`scheduler.step(epoch)` with the epoch counted from 1 runs one epoch ahead behind any guard.
"""
import torch
from torch import nn, optim

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


for epoch in range(1, 31):
    if epoch > 0:
        scheduler.step()  # FIT001
    train_epoch()

for epoch in range(30):
    if epoch % 2 == 0:
        scheduler.step()  # FIT001
    train_epoch()

for epoch in range(1, 31):
    if epoch > 1:
        scheduler.step(epoch)  # FIT001
    train_epoch()
