"""A model whose forward returns `(softmax(logits), aux)`: the first element, already
probabilities, is unpacked and fed to CrossEntropyLoss, which applies log-softmax again (FIT302)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class AuxNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
        self.head = nn.Linear(32 * 13 * 13, 10)
        self.aux = nn.Linear(32 * 13 * 13, 1)

    def forward(self, x):
        h = self.features(x)
        logits = self.head(h)
        return F.softmax(logits, dim=1), self.aux(h)  # FIT302


loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor()),
                    batch_size=64, shuffle=True)
model = AuxNet()
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(5):
    for x, y in loader:
        probs, aux = model(x)
        loss = criterion(probs, y) + 0.1 * aux.pow(2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
