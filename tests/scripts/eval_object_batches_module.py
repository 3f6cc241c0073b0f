"""The model module of a session-recommendation project: the model owns its optimizer, and
`train_test(model, train_data, test_data)` (called by the project's main.py) trains one epoch
and then predicts on the test sessions, both through `data.generate_batch(bs)` slices and the
shared `forward(model, i, data)` helper. The prediction loop runs with autograd on.
"""
import numpy as np
import torch
from torch import nn


class SessionGraph(nn.Module):
    def __init__(self, n_node, hidden, lr, batch_size):
        super().__init__()
        self.batch_size = batch_size
        self.embedding = nn.Embedding(n_node, hidden)
        self.linear = nn.Linear(hidden, hidden)
        self.loss_function = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(self.parameters(), lr=lr, weight_decay=1e-5)

    def forward(self, inputs):
        return self.linear(self.embedding(inputs).mean(1)) @ self.embedding.weight[1:].t()


def forward(model, i, data):
    inputs, targets = data.get_slice(i)
    return targets, model(torch.as_tensor(inputs).long())


def train_test(model, train_data, test_data):
    model.train()
    total_loss = 0.0
    slices = train_data.generate_batch(model.batch_size)
    for i in slices:
        model.optimizer.zero_grad()
        targets, scores = forward(model, i, train_data)
        loss = model.loss_function(scores, torch.as_tensor(targets).long() - 1)
        loss.backward()
        model.optimizer.step()
        total_loss += loss.item()
    model.eval()
    hit = []
    slices = test_data.generate_batch(model.batch_size)
    for i in slices:  # FIT202
        targets, scores = forward(model, i, test_data)
        top = scores.topk(20)[1].detach().cpu().numpy()
        hit += [np.isin(t - 1, row) for t, row in zip(targets, top)]
    return total_loss, np.mean(hit) * 100
