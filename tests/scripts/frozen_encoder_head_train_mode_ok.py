"""Speech-emotion classification with a frozen pretrained encoder and a small head that holds all
the dropout. Each epoch ends with a validation pass in eval mode, and each epoch starts by putting
the head back in training mode (the frozen encoder stays in eval mode on purpose)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader


class EmotionNet(nn.Module):
    def __init__(self, encoder, n_classes=8):
        super().__init__()
        self.encoder = encoder
        self.head = nn.Sequential(nn.Linear(768, 256), nn.ReLU(), nn.Dropout(0.3), nn.Linear(256, n_classes))

    def forward(self, x):
        with torch.no_grad():
            features = self.encoder(x).mean(dim=1)
        return self.head(features)


@torch.no_grad()
def accuracy(model, loader):
    model.eval()
    hits = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    return hits / len(loader.dataset)


def main(encoder, train_set, val_set, epochs=20):
    model = EmotionNet(encoder)
    for p in model.encoder.parameters():
        p.requires_grad = False
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=64)
    optimizer = torch.optim.AdamW(model.head.parameters(), lr=1e-3, weight_decay=1e-2)
    criterion = nn.CrossEntropyLoss()
    model.eval()
    for epoch in range(epochs):
        model.head.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        print(epoch, accuracy(model, val_loader))
