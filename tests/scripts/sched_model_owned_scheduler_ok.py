"""The model-owned optimizer and scheduler, stepped in the right order: `model.scheduler.step()`
after the epoch's training. A second model object from an imported class, whose attributes
the file cannot see, keeps its own (unknown) scheduler out of the question.
"""
import numpy as np
import torch
from torch import nn

from baselines import ItemKNN
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
    model.train()
    total_loss = 0.0
    for i in train_data.generate_batch(batch_size):
        inputs, targets = train_data.get_slice(i)
        model.optimizer.zero_grad()
        loss = model.loss_function(model(torch.as_tensor(inputs)), torch.as_tensor(targets) - 1)
        loss.backward()
        model.optimizer.step()
        total_loss += loss.item()
    model.scheduler.step()
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
baseline = ItemKNN(43098)
for epoch in range(30):
    baseline.scheduler.step()
    baseline.fit_epoch(train_data)
    print(epoch, train_test(model, train_data, test_data))
