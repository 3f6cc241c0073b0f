# The twin: the trainer stops early on a validation split carved from the training data; the test
# split is evaluated once, after training.
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class EarlyStopping:
    def __init__(self, patience=7, path="checkpoint.pt"):
        self.patience = patience
        self.counter = 0
        self.best_score = None
        self.early_stop = False
        self.val_loss_min = np.inf
        self.path = path

    def __call__(self, val_loss, model):
        score = -val_loss
        if self.best_score is None:
            self.best_score = score
            self.save_checkpoint(val_loss, model)
        elif score < self.best_score:
            self.counter += 1
            if self.counter >= self.patience:
                self.early_stop = True
        else:
            self.best_score = score
            self.save_checkpoint(val_loss, model)
            self.counter = 0

    def save_checkpoint(self, val_loss, model):
        torch.save(model.state_dict(), self.path)
        self.val_loss_min = val_loss


class Trainer:
    def __init__(self, model, train_loader, val_loader, test_loader):
        self.model = model
        self.train_loader = train_loader
        self.val_loader = val_loader
        self.test_loader = test_loader
        self.optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
        self.criterion = nn.CrossEntropyLoss()
        self.early_stopping = EarlyStopping(patience=5)

    def evaluate(self, loader):
        self.model.eval()
        total = 0.0
        with torch.no_grad():
            for x, y in loader:
                total += self.criterion(self.model(x), y).item()
        return total / len(loader)

    def fit(self, epochs):
        for epoch in range(epochs):
            self.model.train()
            for x, y in self.train_loader:
                self.optimizer.zero_grad()
                loss = self.criterion(self.model(x), y)
                loss.backward()
                self.optimizer.step()
            val_loss = self.evaluate(self.val_loader)
            self.early_stopping(val_loss, self.model)
            if self.early_stopping.early_stop:
                break
        return self.evaluate(self.test_loader)


full_ds = TensorDataset(torch.randn(512, 10), torch.randint(0, 2, (512,)))
train_ds, val_ds = torch.utils.data.random_split(full_ds, [448, 64])
test_ds = TensorDataset(torch.randn(128, 10), torch.randint(0, 2, (128,)))
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Dropout(0.2), nn.Linear(32, 2))
trainer = Trainer(model, DataLoader(train_ds, batch_size=32, shuffle=True), DataLoader(val_ds, batch_size=64),
                  DataLoader(test_ds, batch_size=64))
print("test loss", trainer.fit(20))
