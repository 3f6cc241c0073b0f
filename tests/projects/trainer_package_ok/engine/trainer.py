import torch


class Trainer:
    def __init__(self, model, optimizer, scheduler, criterion, device):
        self.model = model
        self.optimizer = optimizer
        self.scheduler = scheduler
        self.criterion = criterion
        self.device = device

    def train_one_epoch(self, loader):
        self.model.train()
        total = 0.0
        for images, labels in loader:
            images, labels = images.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(images), labels)
            loss.backward()
            self.optimizer.step()
            self.scheduler.step()
            total += loss.item()
        return total / len(loader)

    @torch.no_grad()
    def validate(self, loader):
        self.model.eval()
        correct = 0
        for images, labels in loader:
            images, labels = images.to(self.device), labels.to(self.device)
            correct += (self.model(images).argmax(1) == labels).sum().item()
        return correct / len(loader.dataset)

    def fit(self, train_loader, val_loader, epochs):
        for epoch in range(epochs):
            loss = self.train_one_epoch(train_loader)
            acc = self.validate(val_loader)
            print(f"epoch {epoch}: loss {loss:.3f} val acc {acc:.3f}")
