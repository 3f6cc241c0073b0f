"""The same flat script with the before-training pass under `torch.no_grad()`; and a warm-up pass
whose loss is accumulated and backpropagated once after the loop (its values do reach a backward
pass): nothing to report."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader

network = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.Flatten(), nn.Dropout(0.3), nn.LazyLinear(2))
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)
optimizer = torch.optim.Adam(network.parameters(), lr=5e-4)

total_loss = 0
total_correct = 0
network.eval()
with torch.no_grad():
    for batch in train_loader:
        images, labels = batch
        preds = network(images)
        loss = F.cross_entropy(preds, labels)
        total_loss += loss.item() * len(images)
        total_correct += (preds.argmax(1) == labels).sum().item()
print("before training:", total_correct / len(train_ds), total_loss / len(train_ds))

for epoch in range(25):
    network.train()
    for batch in train_loader:
        images, labels = batch
        preds = network(images)
        loss = F.cross_entropy(preds, labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

network.train()
warmup = 0
for step, batch in enumerate(train_loader):
    images, labels = batch
    preds = network(images)
    loss = F.cross_entropy(preds, labels)
    warmup = warmup + loss
    if step == 3:
        break
optimizer.zero_grad()
warmup.backward()
optimizer.step()
