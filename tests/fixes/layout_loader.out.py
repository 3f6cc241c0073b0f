# Loaders written in the three common layouts, each missing shuffle=True.
import torch
from torch import nn, optim
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = optim.SGD(model.parameters(), lr=0.1)
criterion = nn.CrossEntropyLoss()

# one argument per line, magic trailing comma, comments on the first and last arguments
train_loader = DataLoader(
    train_set,  # the training split
    batch_size=64,
    num_workers=4,  # one per core
    shuffle=True,
)

# one argument per line, no trailing comma
extra_train_loader = DataLoader(
    extra_train_set,
    batch_size=64,  # as above
    shuffle=True
)

# aligned under the parenthesis, which closes on the last line
pretrain_loader = DataLoader(pretrain_set,
                             batch_size=256,
                             pin_memory=True,
                             shuffle=True)  # big batches


def train(loader):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


for epoch in range(10):
    train(pretrain_loader)
    train(train_loader)
    train(extra_train_loader)
