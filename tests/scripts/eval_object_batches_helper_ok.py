"""The same session model and shared `forward(model, i, data)` helper, evaluated correctly:
the prediction loop over `test_data.generate_batch(bs)` runs under no_grad after model.eval().
A `sample_batch(bs)` of the training data drawn outside any evaluation is training, not a
held-out pass.
"""
import numpy as np
import torch
import torch.nn as nn

from utils import Data, load_sessions


class SessionModel(nn.Module):
    def __init__(self, n_items, hidden):
        super().__init__()
        self.embedding = nn.Embedding(n_items, hidden)
        self.dropout = nn.Dropout(0.2)
        self.gru = nn.GRU(hidden, hidden, batch_first=True)

    def forward(self, items):
        out, _ = self.gru(self.dropout(self.embedding(items)))
        return out[:, -1] @ self.embedding.weight.t()


def forward(model, i, data):
    items, targets = data.get_slice(i)
    return torch.as_tensor(targets), model(torch.as_tensor(items))


def train_epoch(model, optimizer, train_data, batch_size=100):
    model.train()
    for i in train_data.generate_batch(batch_size):
        optimizer.zero_grad()
        targets, scores = forward(model, i, train_data)
        nn.functional.cross_entropy(scores, targets - 1).backward()
        optimizer.step()


@torch.no_grad()
def predict(model, test_data, batch_size=100):
    model.eval()
    hit = []
    for i in test_data.generate_batch(batch_size):
        targets, scores = forward(model, i, test_data)
        top = scores.topk(20)[1].cpu().numpy()
        hit += [t - 1 in row for t, row in zip(targets.tolist(), top)]
    return np.mean(hit) * 100


train_data, test_data = Data(load_sessions("train.txt"), shuffle=True), Data(load_sessions("test.txt"))
model = SessionModel(43098, 100)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
for epoch in range(30):
    train_epoch(model, optimizer, train_data)
    model.eval()
    with torch.no_grad():
        for i in test_data.generate_batch(500):
            forward(model, i, test_data)
    print(epoch, predict(model, test_data))
