# An audio trainer whose training and validation both run the model through a method of the class
# (self._shared_step(batch) calls self.model(wav)): validate() switches to eval mode but never
# turns gradients off.
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class M5(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 32, 80, stride=16), nn.BatchNorm1d(32), nn.ReLU(),
                                      nn.MaxPool1d(4), nn.AdaptiveAvgPool1d(1))
        self.fc = nn.Linear(32, n_classes)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


class Trainer:
    def __init__(self, model, train_dl, valid_dl, epochs=30, lr=1e-3):
        self.model = model
        self.train_dl, self.valid_dl, self.epochs = train_dl, valid_dl, epochs
        self.optimizer = torch.optim.Adam(model.parameters(), lr=lr, weight_decay=1e-4)

    def _shared_step(self, batch):
        wav, target = batch
        logits = self.model(wav)
        loss = F.cross_entropy(logits, target)
        return loss, (logits.argmax(1) == target).float().mean()

    def train_epoch(self):
        self.model.train()
        for batch in self.train_dl:
            self.optimizer.zero_grad()
            loss, _ = self._shared_step(batch)
            loss.backward()
            self.optimizer.step()

    def validate(self):
        self.model.eval()
        accs = []
        for batch in self.valid_dl:  # expect: FIT202
            _, acc = self._shared_step(batch)
            accs.append(acc.item())
        return sum(accs) / len(accs)

    def fit(self):
        for epoch in range(self.epochs):
            self.train_epoch()
            print(epoch, self.validate())


train_dl = DataLoader(TensorDataset(torch.randn(640, 1, 8000), torch.randint(0, 10, (640,))), batch_size=64,
                      shuffle=True)
valid_dl = DataLoader(TensorDataset(torch.randn(128, 1, 8000), torch.randint(0, 10, (128,))), batch_size=128)
Trainer(M5(), train_dl, valid_dl).fit()
