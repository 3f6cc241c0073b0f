import torch
from torch.utils.data import DataLoader, TensorDataset

from network import *

tokens = torch.load("tokens.pt")
labels = torch.load("labels.pt")
train_loader = DataLoader(TensorDataset(tokens, labels), batch_size=32, shuffle=True)
net = LSTMClassifier(5000, 128, 2)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(net.parameters(), lr=1e-3, weight_decay=0.01)
for epoch in range(10):
    for text, label in train_loader:
        optimizer.zero_grad()
        loss = criterion(net(text), label)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
