"""A model that computes its own loss returns it first in a tuple; the training loop takes
`outputs[0]`, back-propagates it and adds the tensor itself to the epoch total (FIT502)."""
import torch
from torch import nn
from torch.utils.data import DataLoader, RandomSampler


class Tagger(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Linear(32, 4)
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, x, labels):
        logits = self.encoder(x)
        return self.criterion(logits, labels), logits


def train_epoch(model, dataset, optimizer):
    loader = DataLoader(dataset, sampler=RandomSampler(dataset), batch_size=16)
    train_loss, steps = 0.0, 0
    model.train()
    for x, labels in loader:
        outputs = model(x, labels)
        loss = outputs[0]
        loss.backward()
        steps += 1
        train_loss += loss  # FIT502
        optimizer.step()
        optimizer.zero_grad()
    return train_loss / steps


dataset = torch.utils.data.TensorDataset(torch.randn(256, 32), torch.randint(0, 4, (256,)))
model = Tagger()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(5):
    print(epoch, train_epoch(model, dataset, optimizer))
