"""Correct output layers that a naive activation/softmax rule would flag: nothing here may fire."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

device = "cuda" if torch.cuda.is_available() else "cpu"


class LogSoftmaxNet(nn.Module):
    """log_softmax output with NLLLoss; the attribute is named softmax but holds LogSoftmax."""

    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.fc2 = nn.Linear(256, 10)
        self.relu = nn.ReLU()
        self.drop = nn.Dropout(0.3)
        self.softmax = nn.LogSoftmax(dim=1)

    def forward(self, x):
        x = self.drop(self.relu(self.fc1(x.flatten(1))))
        x = self.fc2(x)
        return self.softmax(x)


class Regressor(nn.Module):
    """Non-negative targets (counts): a ReLU output with MSELoss is correct."""

    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(nn.Linear(12, 64), nn.ReLU(), nn.Linear(64, 1), nn.ReLU())

    def forward(self, x):
        return self.net(x).squeeze(-1)


class AutoEncoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(784, 64), nn.ReLU())
        self.decoder = nn.Sequential(nn.Linear(64, 784), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


class AttentionClassifier(nn.Module):
    """Softmax inside the network (attention weights), logits out; LogSoftmax-free."""

    def __init__(self, dim=32, num_classes=5):
        super().__init__()
        self.query = nn.Linear(dim, dim)
        self.key = nn.Linear(dim, dim)
        self.classifier = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(), nn.Dropout(0.1), nn.Linear(dim, num_classes))

    def forward(self, x):
        scores = self.query(x) @ self.key(x).transpose(1, 2)
        weights = F.softmax(scores / x.size(-1) ** 0.5, dim=-1)
        pooled = torch.bmm(weights, x).mean(1)
        return self.classifier(pooled)


def train_classifier(model, loader, epochs=5):
    criterion = nn.NLLLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    model.train()
    for _ in range(epochs):
        for x, y in loader:
            x, y = x.to(device), y.to(device)
            optimizer.zero_grad()
            log_probs = model(x)
            loss = criterion(log_probs, y)
            loss.backward()
            optimizer.step()


def train_regressor(model, loader):
    criterion = nn.MSELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()


def train_autoencoder(model, loader):
    criterion = nn.BCELoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for x, _ in loader:
        x = x.flatten(1)
        optimizer.zero_grad()
        loss = criterion(model(x), x)
        loss.backward()
        optimizer.step()


def train_attention(model, loader):
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        logits = model(x)
        probs = F.softmax(logits, dim=1)
        loss = criterion(logits, y)
        loss.backward()
        optimizer.step()
        confidence = probs.max(dim=1).values.mean().item()
        print(f"loss {loss.item():.3f} confidence {confidence:.2f}")


def train_with_backbone(loader):
    backbone = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.ReLU())
    head = nn.Linear(16, 10)
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(list(backbone.parameters()) + list(head.parameters()), lr=0.1)
    for x, y in loader:
        optimizer.zero_grad()
        features = backbone(x)
        outputs = head(features)
        loss = criterion(outputs, y)
        loss.backward()
        optimizer.step()
        outputs = outputs.softmax(dim=1)
        print(outputs.max(1).values.mean().item())


def train_idempotent(loader):
    """log_softmax before CrossEntropyLoss: identical loss and gradients (at most a style note)."""
    model = nn.Sequential(nn.Linear(784, 10), nn.LogSoftmax(dim=1))
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x.flatten(1)), y)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def sample(model, context, steps=20):
    model.eval()
    for _ in range(steps):
        logits = model(context)
        next_token = torch.multinomial(F.softmax(logits[:, -1], dim=-1), num_samples=1)
        context = torch.cat([context, next_token], dim=1)
    return context


def main(train_set):
    loader = DataLoader(train_set, batch_size=64, shuffle=True)
    train_classifier(LogSoftmaxNet().to(device), loader)
    train_regressor(Regressor(), loader)
    train_autoencoder(AutoEncoder(), loader)
    train_attention(AttentionClassifier(), loader)
    train_with_backbone(loader)
    train_idempotent(loader)
