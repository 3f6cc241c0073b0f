"""A siamese network on MNIST pairs: the dataset draws a random pair for each index (same class for
even indices), a ResNet-18 trunk, BCELoss on a sigmoid score."""
import argparse
import random

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
from torch.optim.lr_scheduler import StepLR
from torch.utils.data import Dataset
from torchvision import datasets


class SiameseNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        resnet = torchvision.models.resnet18(weights=None)
        resnet.conv1 = nn.Conv2d(1, 64, kernel_size=7, stride=2, padding=3, bias=False)
        features = resnet.fc.in_features
        self.trunk = nn.Sequential(*list(resnet.children())[:-1])
        self.head = nn.Sequential(nn.Linear(features * 2, 256), nn.ReLU(inplace=True), nn.Linear(256, 1))
        self.sigmoid = nn.Sigmoid()

    def embed(self, x):
        return self.trunk(x).flatten(1)

    def forward(self, a, b):
        return self.sigmoid(self.head(torch.cat((self.embed(a), self.embed(b)), 1)))


class PairedMNIST(Dataset):
    def __init__(self, root, train):
        self.dataset = datasets.MNIST(root, train=train, download=True)
        self.data = self.dataset.data.unsqueeze(1).clone()
        targets = self.dataset.targets.tolist()
        self.by_class = {c: [i for i, t in enumerate(targets) if t == c] for c in range(10)}

    def __len__(self):
        return self.data.shape[0]

    def __getitem__(self, index):
        first = random.randint(0, 9)
        second = first if index % 2 == 0 else random.choice([c for c in range(10) if c != first])
        image_1 = self.data[random.choice(self.by_class[first])].float() / 255.0
        image_2 = self.data[random.choice(self.by_class[second])].float() / 255.0
        return image_1, image_2, torch.tensor(1.0 if first == second else 0.0)


def train(args, model, device, loader, optimizer, epoch):
    model.train()
    criterion = nn.BCELoss()
    for batch_idx, (images_1, images_2, targets) in enumerate(loader):
        images_1, images_2, targets = images_1.to(device), images_2.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images_1, images_2).squeeze(), targets)
        loss.backward()
        optimizer.step()
        if batch_idx % args.log_interval == 0:
            print(f"epoch {epoch} batch {batch_idx} loss {loss.item():.4f}")


def test(model, device, loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for images_1, images_2, targets in loader:
            images_1, images_2, targets = images_1.to(device), images_2.to(device), targets.to(device)
            outputs = model(images_1, images_2).squeeze()
            correct += (torch.where(outputs > 0.5, 1, 0) == targets).sum().item()
    print(f"test accuracy {correct / len(loader.dataset):.3f}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batch-size", type=int, default=64)
    parser.add_argument("--epochs", type=int, default=14)
    parser.add_argument("--lr", type=float, default=1.0)
    parser.add_argument("--gamma", type=float, default=0.7)
    parser.add_argument("--log-interval", type=int, default=10)
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_loader = torch.utils.data.DataLoader(PairedMNIST("../data", train=True), batch_size=args.batch_size)
    test_loader = torch.utils.data.DataLoader(PairedMNIST("../data", train=False), batch_size=1000)
    model = SiameseNetwork().to(device)
    optimizer = optim.Adadelta(model.parameters(), lr=args.lr)
    scheduler = StepLR(optimizer, step_size=1, gamma=args.gamma)
    for epoch in range(1, args.epochs + 1):
        train(args, model, device, train_loader, optimizer, epoch)
        test(model, device, test_loader)
        scheduler.step()


if __name__ == "__main__":
    main()
