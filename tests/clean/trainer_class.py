"""A Trainer class: train_epoch() sets training mode, validate() evaluation mode under no_grad,
fit() keeps the best weights on the validation loss and stops early; the test set is used once."""
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class Trainer:
    def __init__(self, model, optimizer, criterion, device, patience=5):
        self.model = model.to(device)
        self.optimizer = optimizer
        self.criterion = criterion
        self.device = device
        self.patience = patience

    def train_epoch(self, loader):
        self.model.train()
        total = 0.0
        for x, y in loader:
            x, y = x.to(self.device), y.to(self.device)
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(x), y)
            loss.backward()
            self.optimizer.step()
            total += loss.item() * x.size(0)
        return total / len(loader.dataset)

    @torch.no_grad()
    def validate(self, loader):
        self.model.eval()
        total, correct = 0.0, 0
        for x, y in loader:
            x, y = x.to(self.device), y.to(self.device)
            out = self.model(x)
            total += self.criterion(out, y).item() * x.size(0)
            correct += (out.argmax(1) == y).sum().item()
        return total / len(loader.dataset), correct / len(loader.dataset)

    def fit(self, train_loader, val_loader, epochs):
        best_loss, best_state, waited = float("inf"), None, 0
        for epoch in range(epochs):
            train_loss = self.train_epoch(train_loader)
            val_loss, val_acc = self.validate(val_loader)
            print(f"epoch {epoch}: train {train_loss:.4f} val {val_loss:.4f} acc {val_acc:.4f}")
            if val_loss < best_loss:
                best_loss, best_state, waited = val_loss, copy.deepcopy(self.model.state_dict()), 0
            else:
                waited += 1
                if waited >= self.patience:
                    break
        self.model.load_state_dict(best_state)
        return self.model


transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.2860,), (0.3530,))])
full = datasets.FashionMNIST("data", train=True, download=True, transform=transform)
train_set, val_set = random_split(full, [54000, 6000], generator=torch.Generator().manual_seed(0))
test_set = datasets.FashionMNIST("data", train=False, download=True, transform=transform)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, 10))
trainer = Trainer(model, torch.optim.AdamW(model.parameters(), lr=1e-3), nn.CrossEntropyLoss(), "cpu")
trainer.fit(DataLoader(train_set, batch_size=128, shuffle=True), DataLoader(val_set, batch_size=512), epochs=50)
print("test:", trainer.validate(DataLoader(test_set, batch_size=512)))
