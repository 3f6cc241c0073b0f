"""Keyword spotting on MFCC features: a model class from the project's models.py, built with
dropout, trained by a helper and measured on the validation set every epoch. Nothing in the script
ever switches the model's mode: validation runs with dropout on, in training mode."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from dataset import KeywordDataset
from models import SpeechNet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
train_loader = DataLoader(KeywordDataset("data/train"), batch_size=64, shuffle=True)
val_loader = DataLoader(KeywordDataset("data/valid"), batch_size=256)

model = SpeechNet(n_mfcc=40, num_classes=12, dropout=0.3).to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)


def train_epoch(net, loader):
    total = 0.0
    for mfcc, label in loader:
        mfcc, label = mfcc.to(device), label.to(device)
        optimizer.zero_grad()
        loss = criterion(net(mfcc), label)
        loss.backward()
        optimizer.step()
        total += loss.item()
    return total / len(loader)


for epoch in range(30):
    train_loss = train_epoch(model, train_loader)
    correct = 0
    with torch.no_grad():
        for mfcc, label in val_loader:  # expect: FIT201
            pred = model(mfcc.to(device)).argmax(1)
            correct += (pred.cpu() == label).sum().item()
    print(f"epoch {epoch}: train loss {train_loss:.3f}, val acc {correct / len(val_loader.dataset):.3f}")
