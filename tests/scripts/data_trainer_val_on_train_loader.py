"""A Trainer class that reports "validation" accuracy computed on its training loader (FIT603),
and training accuracy computed on the same loader on purpose (correct: the result is named so).
The validation loader exists but is only used for the final report.
"""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class MLP(nn.Module):
    def __init__(self, hidden=512):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(),
            nn.Linear(28 * 28, hidden),
            nn.ReLU(),
            nn.Dropout(0.2),
            nn.Linear(hidden, 10),
        )

    def forward(self, x):
        return self.net(x)


class Trainer:
    def __init__(self, model, train_set, val_set, device="cpu"):
        self.model = model.to(device)
        self.device = device
        self.train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
        self.val_loader = DataLoader(val_set, batch_size=512)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = optim.Adam(self.model.parameters(), lr=1e-3, weight_decay=1e-4)
        self.scheduler = optim.lr_scheduler.StepLR(self.optimizer, step_size=5, gamma=0.5)

    def train_epoch(self):
        self.model.train()
        for images, labels in self.train_loader:
            images, labels = images.to(self.device), labels.to(self.device)
            self.optimizer.zero_grad()
            loss = self.criterion(self.model(images), labels)
            loss.backward()
            self.optimizer.step()

    @torch.no_grad()
    def evaluate(self, loader):
        self.model.eval()
        correct = total = 0
        loss_sum = 0.0
        for images, labels in loader:
            images, labels = images.to(self.device), labels.to(self.device)
            outputs = self.model(images)
            loss_sum += self.criterion(outputs, labels).item() * labels.size(0)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
        return loss_sum / total, correct / total

    def fit(self, epochs):
        for epoch in range(epochs):
            self.train_epoch()
            self.scheduler.step()
            train_loss, train_acc = self.evaluate(self.train_loader)
            val_loss, val_acc = self.evaluate(self.train_loader)  # FIT603
            print(f"{epoch}: train {train_acc:.3f} val {val_acc:.3f} ({val_loss:.3f})")
        return self.evaluate(self.val_loader)


if __name__ == "__main__":
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
    full = datasets.MNIST("./data", train=True, download=True, transform=tf)
    train_set, val_set = random_split(full, [55000, 5000])
    trainer = Trainer(MLP(), train_set, val_set)
    print(trainer.fit(10))
