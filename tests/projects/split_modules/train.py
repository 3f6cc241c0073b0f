"""MNIST in three modules: the model, the loaders and the evaluation live in other files."""
import torch
import torch.nn as nn

from data import get_loaders
from models import SmallNet as Net
from utils import *

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = Net().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
train_loader, val_loader = get_loaders("data", 64)

best_acc = 0.0
for epoch in range(15):
    model.train()
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    val_acc = evaluate(model, val_loader, device)
    print(f"epoch {epoch}: val acc {val_acc:.4f}")
    if val_acc > best_acc:  # expect: FIT601
        best_acc = val_acc
        torch.save(model.state_dict(), "best.pt")
