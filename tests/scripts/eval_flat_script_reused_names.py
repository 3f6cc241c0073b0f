"""A notebook exported as one flat script: a before-training accuracy pass over the training
loader binds `preds` and `loss` with autograd on, and the training cell below binds the same names
afresh before its `loss.backward()`. The pass's own values never reach a backward pass, so it is
an evaluation of the training data that builds a graph per batch (FIT202)."""
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
for batch in train_loader:  # expect: FIT202
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
