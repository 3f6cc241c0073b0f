# The twin: the per-batch step calls the scheduler helper after optimizer.step(); the rate it
# reports is read before the step, from get_last_lr(), which does not advance anything.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, train_loader, epochs=15, max_lr=3e-3):
        self.model = model
        self.train_loader = train_loader
        self.epochs = epochs
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=max_lr / 25, weight_decay=1e-2)
        self.scheduler = torch.optim.lr_scheduler.OneCycleLR(
            self.optimizer, max_lr=max_lr, epochs=epochs, steps_per_epoch=len(train_loader))

    def _advance_lr(self):
        self.scheduler.step()

    def train_step(self, x, y):
        self.optimizer.zero_grad(set_to_none=True)
        loss = self.criterion(self.model(x), y)
        loss.backward()
        nn.utils.clip_grad_norm_(self.model.parameters(), 1.0)
        lr = self.scheduler.get_last_lr()[0]
        self.optimizer.step()
        self._advance_lr()
        return loss.item(), lr

    def fit(self):
        for epoch in range(self.epochs):
            self.model.train()
            for x, y in self.train_loader:
                loss, lr = self.train_step(x, y)
            print(f"epoch {epoch} loss {loss:.4f} lr {lr:.2e}")


data = TensorDataset(torch.randn(2048, 32), torch.randint(0, 4, (2048,)))
model = nn.Sequential(nn.Linear(32, 128), nn.GELU(), nn.Dropout(0.1), nn.Linear(128, 4))
Trainer(model, DataLoader(data, batch_size=64, shuffle=True)).fit()
