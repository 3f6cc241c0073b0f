# The twin: run_epoch switches the mode by its flag.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class Trainer:
    def __init__(self, model, lr=1e-3):
        self.model = model
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)

    def run_epoch(self, loader, train):
        self.model.train(train)
        total, correct, seen = 0.0, 0, 0
        with torch.set_grad_enabled(train):
            for x, y in loader:
                out = self.model(x)
                loss = self.criterion(out, y)
                if train:
                    self.optimizer.zero_grad()
                    loss.backward()
                    self.optimizer.step()
                total += loss.item() * x.size(0)
                correct += (out.argmax(1) == y).sum().item()
                seen += x.size(0)
        return total / seen, correct / seen

    def fit(self, train_loader, val_loader, epochs):
        for epoch in range(epochs):
            train_loss, train_acc = self.run_epoch(train_loader, train=True)
            val_loss, val_acc = self.run_epoch(val_loader, train=False)
            print(epoch, train_loss, val_loss, val_acc)


model = nn.Sequential(nn.Linear(64, 256), nn.ReLU(), nn.Dropout(0.5), nn.Linear(256, 10))
train_loader = DataLoader(TensorDataset(torch.randn(2048, 64), torch.randint(0, 10, (2048,))), batch_size=64,
                          shuffle=True)
val_loader = DataLoader(TensorDataset(torch.randn(512, 64), torch.randint(0, 10, (512,))), batch_size=256)
Trainer(model).fit(train_loader, val_loader, epochs=20)
