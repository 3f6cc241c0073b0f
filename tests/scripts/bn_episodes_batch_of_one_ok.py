"""Prototypical network on few-shot episodes: each dataset item is a whole episode (a support set
and a query set of several images), so the loader draws one episode per step (`batch_size=1`)
and the loop squeezes that dimension off (`support.squeeze(0)`). Batch-norm normalizes over the
25 support and 75 query images of the episode, not over one sample."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, Dataset


class Episodes(Dataset):
    def __init__(self, images, labels, ways=5, shots=5, queries=15, episodes=1000):
        self.images, self.labels = images, labels
        self.ways, self.shots, self.queries, self.episodes = ways, shots, queries, episodes

    def __len__(self):
        return self.episodes

    def __getitem__(self, index):
        classes = torch.randperm(int(self.labels.max()) + 1)[:self.ways]
        support, query = [], []
        for c in classes:
            rows = torch.nonzero(self.labels == c).flatten()
            rows = rows[torch.randperm(len(rows))[:self.shots + self.queries]]
            support.append(self.images[rows[:self.shots]])
            query.append(self.images[rows[self.shots:]])
        return torch.cat(support), torch.cat(query)


def conv_block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(), nn.MaxPool2d(2))


encoder = nn.Sequential(conv_block(1, 64), conv_block(64, 64), conv_block(64, 64), nn.Flatten())
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-3, weight_decay=1e-4)
train_loader = DataLoader(Episodes(torch.load("images.pt"), torch.load("labels.pt")), batch_size=1)

for epoch in range(20):
    encoder.train()
    for support, query in train_loader:
        support, query = support.squeeze(0), query.squeeze(0)
        prototypes = encoder(support).view(5, 5, -1).mean(1)
        logits = -torch.cdist(encoder(query), prototypes)
        targets = torch.arange(5).repeat_interleave(15)
        loss = F.cross_entropy(logits, targets)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
