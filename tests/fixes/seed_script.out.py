# The seed's training loop: scheduler first, an unshuffled loader, a plateau scheduler without its metric.
import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torch.utils.data import DataLoader

model = nn.Sequential(nn.Linear(64, 128), nn.ReLU(), nn.Linear(128, 2))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = lr_scheduler.StepLR(optimizer, step_size=30, gamma=0.1)
plateau = lr_scheduler.ReduceLROnPlateau(optimizer)

trainloader = DataLoader(
    trainset,
    batch_size=32,
    num_workers=2,
    shuffle=True,
)


def train(epoch):
    model.train()
    for inputs, targets in trainloader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), targets)
        loss.backward()
        optimizer.step()


def validate(epoch):
    return 0.0


for epoch in range(100):
    train(epoch)
    scheduler.step()
    val_loss = validate(epoch)
    plateau.step(val_loss)
    print(f"epoch {epoch}: {val_loss:.3f}")  # keep this comment
