"""A CIFAR-10 Trainer class that keeps per-epoch histories and saves whenever the latest
accuracy equals the best of its history, done right: the accuracy is measured on 5,000 images
held out of the training split (seeded `random_split`); the test split is left for the end."""
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
from torch.utils.data import DataLoader, random_split


class Trainer:
    def __init__(self, train_loader, val_loader, num_epochs, model, criterion, optimizer):
        self.train_loader, self.val_loader = train_loader, val_loader
        self.num_epochs, self.model, self.criterion, self.optimizer = num_epochs, model, criterion, optimizer
        self.valid_acc_list = []

    def train_one_epoch(self):
        self.model.train()
        for x, y in self.train_loader:
            self.optimizer.zero_grad()
            self.criterion(self.model(x), y).backward()
            self.optimizer.step()

    @torch.no_grad()
    def valid_one_epoch(self):
        self.model.eval()
        correct = total = 0
        for x, y in self.val_loader:
            correct += (self.model(x).argmax(1) == y).sum().item()
            total += y.size(0)
        return {"acc": correct / total}

    def run(self):
        for epoch in range(1, self.num_epochs + 1):
            self.train_one_epoch()
            valid_result = self.valid_one_epoch()
            self.valid_acc_list.append(valid_result["acc"])
            last_acc = self.valid_acc_list[-1]
            if last_acc == max(self.valid_acc_list):
                torch.save(self.model.state_dict(), f"best_{epoch}.pt")


tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
train_set = torchvision.datasets.CIFAR10("data", train=True, download=True, transform=tf)
train_set, val_set = random_split(train_set, [45000, 5000], generator=torch.Generator().manual_seed(0))
model = torchvision.models.resnet18(num_classes=10)
trainer = Trainer(DataLoader(train_set, batch_size=128, shuffle=True), DataLoader(val_set, batch_size=256), 100,
                  model, nn.CrossEntropyLoss(), torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4))
trainer.run()
