"""Session-based recommendation in the shape of a well-known graph model's code: the data object
cuts its own batches (`test_data.generate_batch(bs)`), and one module-level `forward(model, i,
data)` helper runs the model for both the training and the prediction loop. The prediction loop
walks the test sessions after model.eval() with autograd on: every batch's scores over all
items keep a graph nobody uses.
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


def train_test(model, optimizer, train_data, test_data, batch_size=100):
    model.train()
    total_loss = 0.0
    for i in train_data.generate_batch(batch_size):
        optimizer.zero_grad()
        targets, scores = forward(model, i, train_data)
        loss = nn.functional.cross_entropy(scores, targets - 1)
        loss.backward()
        optimizer.step()
        total_loss += loss.item()
    model.eval()
    hit = []
    for i in test_data.generate_batch(batch_size):  # FIT202
        targets, scores = forward(model, i, test_data)
        top = scores.topk(20)[1].cpu().numpy()
        hit += [t - 1 in row for t, row in zip(targets.tolist(), top)]
    return total_loss, np.mean(hit) * 100


train_data, test_data = Data(load_sessions("train.txt"), shuffle=True), Data(load_sessions("test.txt"))
model = SessionModel(43098, 100)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
for epoch in range(30):
    print(epoch, train_test(model, optimizer, train_data, test_data))
