"""Sentiment classification with a TextCNN on IMDB-style reviews read folder by folder (all
positive reviews, then all negative ones). Both loops walk a progress bar bound to a name first
(`loop = tqdm(enumerate(train_loader))`, `pbar = tqdm(val_loader)`), the way many applied
projects write it: the loader behind the bar is what the loop walks."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset
from tqdm import tqdm


class TextCNN(nn.Module):
    def __init__(self, vocab_size, embed_dim=128, num_classes=2):
        super().__init__()
        self.embedding = nn.Embedding(vocab_size, embed_dim)
        self.convs = nn.ModuleList([nn.Conv1d(embed_dim, 100, k) for k in (3, 4, 5)])
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(300, num_classes)

    def forward(self, tokens):
        x = self.embedding(tokens).transpose(1, 2)
        pooled = [F.relu(conv(x)).max(dim=2).values for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


def read_reviews(split):
    tokens = torch.load(f"data/imdb/{split}_tokens.pt")
    labels = torch.load(f"data/imdb/{split}_labels.pt")
    return TensorDataset(tokens, labels)


train_loader = DataLoader(read_reviews("train"), batch_size=64)  # expect: FIT101
val_loader = DataLoader(read_reviews("val"), batch_size=256)

model = TextCNN(vocab_size=30000)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

for epoch in range(10):
    model.train()
    loop = tqdm(enumerate(train_loader), total=len(train_loader), leave=True)
    for step, (tokens, labels) in loop:
        loss = criterion(model(tokens), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        loop.set_postfix(loss=loss.item())

    pbar = tqdm(val_loader, desc="valid")
    correct = 0
    for tokens, labels in pbar:  # expect: FIT201, FIT202
        correct += (model(tokens).argmax(dim=1) == labels).sum().item()
    print(f"epoch {epoch}: val accuracy {correct / len(val_loader.dataset):.3f}")
