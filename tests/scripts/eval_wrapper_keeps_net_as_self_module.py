"""A Keras-style wrapper that keeps its network as `self.module` (the attribute name of
`nn.DataParallel`): `evaluate()` runs it without switching it to evaluation mode, so dropout
stays on while the validation accuracy is measured."""
import torch
import torch.nn as nn


class KerasLike:
    def __init__(self, module, lr=1e-3):
        self.module = module
        self.optimizer = torch.optim.Adam(module.parameters(), lr=lr)
        self.loss = nn.CrossEntropyLoss()

    def fit(self, x, y, x_val, y_val, epochs=10, batch_size=32):
        for epoch in range(epochs):
            self.module.train()
            order = torch.randperm(len(x))
            for i in range(0, len(x), batch_size):
                idx = order[i:i + batch_size]
                self.optimizer.zero_grad()
                loss = self.loss(self.module(x[idx]), y[idx])
                loss.backward()
                self.optimizer.step()
            print(epoch, self.evaluate(x_val, y_val))

    @torch.no_grad()
    def evaluate(self, x, y):
        return (self.module(x).argmax(1) == y).float().mean().item()  # expect: FIT201


data = torch.load("digits.pt")
perm = torch.randperm(len(data["x"]))
x, y = data["x"][perm], data["y"][perm]
mlp = nn.Sequential(nn.Linear(x.shape[1], 256), nn.ReLU(), nn.Dropout(0.25), nn.Linear(256, 10))
model = KerasLike(mlp)
model.fit(x[1000:], y[1000:], x[:1000], y[:1000], epochs=15, batch_size=64)
