"""A semi-supervised trainer kept in its own module: the training script builds the model,
optimizer and scheduler and hands them in, so this file never sees the scheduler's class. Its
`loop()` steps the scheduler at the top of every epoch, before that epoch's training (the pre-1.1
order); a plain helper `fit()` does the same with `lr_scheduler`.
"""
import torch
from torch.nn import functional as F


class PseudoLabelTrainer:
    def __init__(self, model, optimizer, device, threshold=0.95):
        self.model = model
        self.optimizer = optimizer
        self.device = device
        self.threshold = threshold

    def train(self, loader):
        self.model.train()
        for x, y, unlabeled in loader:
            x, y, unlabeled = x.to(self.device), y.to(self.device), unlabeled.to(self.device)
            with torch.no_grad():
                probs = F.softmax(self.model(unlabeled), dim=1)
            confidence, pseudo = probs.max(1)
            mask = (confidence >= self.threshold).float()
            loss = F.cross_entropy(self.model(x), y)
            loss = loss + (F.cross_entropy(self.model(unlabeled), pseudo, reduction="none") * mask).mean()
            self.optimizer.zero_grad()
            loss.backward()
            self.optimizer.step()

    @torch.no_grad()
    def test(self, loader):
        self.model.eval()
        correct = 0
        for x, y in loader:
            correct += (self.model(x.to(self.device)).argmax(1) == y.to(self.device)).sum().item()
        return correct / len(loader.dataset)

    def loop(self, epochs, train_data, test_data, scheduler=None):
        for epoch in range(epochs):
            if scheduler is not None:
                scheduler.step()  # FIT001
            self.train(train_data)
            print(epoch, self.test(test_data))


def fit(model, optimizer, lr_scheduler, loader, epochs):
    for epoch in range(epochs):
        lr_scheduler.step()  # FIT001
        model.train()
        for x, y in loader:
            loss = F.cross_entropy(model(x), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
