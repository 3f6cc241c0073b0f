# A diffusion-style trainer that splits each batch drawn from a shuffled loader into micro-batches
# and sums their gradients before one optimizer step: the slices are one batch, their order moot.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def load_data(batch_size):
    images = torch.rand(4096, 3, 32, 32) * 2 - 1
    loader = DataLoader(TensorDataset(images), batch_size=batch_size, shuffle=True, drop_last=True)
    while True:
        yield from loader


class TrainLoop:
    def __init__(self, model, data, microbatch=16, lr=1e-4):
        self.model = model
        self.data = data
        self.microbatch = microbatch
        self.opt = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=0.0)

    def run_step(self, batch):
        self.forward_backward(batch)
        self.opt.step()

    def forward_backward(self, batch):
        self.opt.zero_grad()
        for i in range(0, batch.shape[0], self.microbatch):
            micro = batch[i:i + self.microbatch]
            noise = torch.randn_like(micro)
            loss = ((self.model(micro + noise) - micro) ** 2).mean() * micro.shape[0] / batch.shape[0]
            loss.backward()

    def run(self, steps):
        for _ in range(steps):
            (batch,) = next(self.data)
            self.run_step(batch)


model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.GroupNorm(8, 32), nn.SiLU(), nn.Conv2d(32, 3, 3, padding=1))
TrainLoop(model, load_data(64)).run(1000)
