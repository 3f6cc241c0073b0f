"""MNIST with a plain MLP: the training loop squashes the logits again before the loss (softmax
into CrossEntropyLoss, softmax into NLLLoss for the auxiliary head, a ReLU into CrossEntropyLoss).
The model's own outputs are logits: only the loss inputs change."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_set = datasets.MNIST("data", train=True, download=True, transform=transform)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.body = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU())
        self.head = nn.Linear(256, 10)
        self.aux = nn.Linear(256, 10)

    def forward(self, x):
        features = self.body(x)
        return self.head(features), self.aux(features)


model = MLP()
criterion = nn.CrossEntropyLoss()
aux_criterion = nn.NLLLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

for epoch in range(10):
    for images, labels in train_loader:
        optimizer.zero_grad()
        logits, aux_logits = model(images)
        # main loss, plus an auxiliary loss at 0.3
        loss = criterion(logits, labels)
        loss = loss + 0.3 * aux_criterion(aux_logits.log_softmax(dim=1), labels)
        loss = loss + 0.1 * criterion(aux_logits, labels)
        loss.backward()
        optimizer.step()
        probs = F.softmax(logits, dim=1)  # reported, not trained on
    print(f"epoch {epoch}: loss {loss.item():.3f}, confidence {probs.max(1)[0].mean():.2f}")
