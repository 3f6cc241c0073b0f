"""A Trainer class for MNIST that only has a training and a test split: the test loader drives the
plateau scheduler, early stopping and the kept weights (FIT601 twice: at the scheduler step, and at
the comparison that keeps the weights and counts the epochs for early stopping). The reported test
accuracy is the best of the epochs it was allowed to choose from.
"""
import copy
import logging

import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

log = logging.getLogger(__name__)


class ConvNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 32, 3, 1)
        self.conv2 = nn.Conv2d(32, 64, 3, 1)
        self.dropout = nn.Dropout(0.25)
        self.fc1 = nn.Linear(9216, 128)
        self.fc2 = nn.Linear(128, 10)

    def forward(self, x):
        x = F.relu(self.conv1(x))
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = self.dropout(torch.flatten(x, 1))
        return self.fc2(F.relu(self.fc1(x)))


class Trainer:
    def __init__(self, model, device="cpu", patience=5):
        tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
        self.train_loader = DataLoader(datasets.MNIST("../data", train=True, download=True, transform=tf),
                                       batch_size=64, shuffle=True)
        self.test_loader = DataLoader(datasets.MNIST("../data", train=False, transform=tf), batch_size=1000)
        self.model = model.to(device)
        self.device = device
        self.optimizer = optim.Adam(self.model.parameters(), lr=1e-3, weight_decay=1e-5)
        self.scheduler = optim.lr_scheduler.ReduceLROnPlateau(self.optimizer, mode="min", factor=0.5, patience=2)
        self.patience = patience
        self.best_loss = float("inf")
        self.best_state = None

    def train_epoch(self):
        self.model.train()
        for data, target in self.train_loader:
            data, target = data.to(self.device), target.to(self.device)
            self.optimizer.zero_grad()
            loss = F.cross_entropy(self.model(data), target)
            loss.backward()
            self.optimizer.step()

    def evaluate(self, loader):
        self.model.eval()
        loss, correct = 0.0, 0
        with torch.no_grad():
            for data, target in loader:
                data, target = data.to(self.device), target.to(self.device)
                output = self.model(data)
                loss += F.cross_entropy(output, target, reduction="sum").item()
                correct += output.argmax(dim=1).eq(target).sum().item()
        n = len(loader.dataset)
        return loss / n, correct / n

    def fit(self, epochs=50):
        bad_epochs = 0
        for epoch in range(epochs):
            self.train_epoch()
            test_loss, test_acc = self.evaluate(self.test_loader)
            self.scheduler.step(test_loss)  # FIT601
            log.info("epoch %d: test loss %.4f, test acc %.4f", epoch, test_loss, test_acc)
            if test_loss < self.best_loss:  # FIT601
                self.best_loss = test_loss
                self.best_state = copy.deepcopy(self.model.state_dict())
                bad_epochs = 0
            else:
                bad_epochs += 1
                if bad_epochs >= self.patience:
                    break
        self.model.load_state_dict(self.best_state)
        return self.evaluate(self.test_loader)


def main():
    trainer = Trainer(ConvNet(), device="cuda" if torch.cuda.is_available() else "cpu")
    final_loss, final_acc = trainer.fit()
    print(f"test accuracy {final_acc:.4f}")


if __name__ == "__main__":
    main()
