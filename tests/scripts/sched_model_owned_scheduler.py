"""A session-recommendation model that owns its optimizer and scheduler (`self.optimizer`,
`self.scheduler` built in `__init__`), driven by a module-level `train_test(model, ...)` that
reaches them through the instance: `model.scheduler.step()` runs at the top of every epoch,
before that epoch's `model.optimizer.step()` calls (the pre-1.1 order).
"""
import numpy as np
import torch
from torch import nn

from utils import Data, load_sessions


class SessionGraph(nn.Module):
    def __init__(self, n_node, hidden, lr, lr_dc_step, l2):
        super().__init__()
        self.embedding = nn.Embedding(n_node, hidden)
        self.linear = nn.Linear(hidden, hidden)
        self.loss_function = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(self.parameters(), lr=lr, weight_decay=l2)
        self.scheduler = torch.optim.lr_scheduler.StepLR(self.optimizer, step_size=lr_dc_step, gamma=0.1)

    def forward(self, inputs):
        return self.linear(self.embedding(inputs).mean(1)) @ self.embedding.weight[1:].t()


def train_test(model, train_data, test_data, batch_size=100):
    model.scheduler.step()  # FIT001
    model.train()
    total_loss = 0.0
    for i in train_data.generate_batch(batch_size):
        inputs, targets = train_data.get_slice(i)
        model.optimizer.zero_grad()
        loss = model.loss_function(model(torch.as_tensor(inputs)), torch.as_tensor(targets) - 1)
        loss.backward()
        model.optimizer.step()
        total_loss += loss.item()
    model.eval()
    hit = []
    with torch.no_grad():
        for i in test_data.generate_batch(batch_size):
            inputs, targets = test_data.get_slice(i)
            top = model(torch.as_tensor(inputs)).topk(20)[1].numpy()
            hit += [t - 1 in row for t, row in zip(targets, top)]
    return total_loss, np.mean(hit) * 100


train_data, test_data = Data(load_sessions("train.txt"), shuffle=True), Data(load_sessions("test.txt"))
model = SessionGraph(43098, 100, lr=1e-3, lr_dc_step=3, l2=1e-5)
for epoch in range(30):
    print(epoch, train_test(model, train_data, test_data))
