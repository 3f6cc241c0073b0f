"""A LightningModule whose `val_dataloader()` returns the MNIST test split while a checkpoint
callback keeps the best epoch by the validation accuracy: the model is chosen on the test set."""
import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, random_split
from torchvision import transforms
from torchvision.datasets import MNIST


class MNISTModel(pl.LightningModule):
    def __init__(self, lr=2e-4):
        super().__init__()
        self.lr = lr
        self.layers = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.1), nn.Linear(128, 10))
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])

    def forward(self, x):
        return self.layers(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_acc", (self(x).argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)

    def setup(self, stage=None):
        full = MNIST("data", train=True, transform=self.tf)
        self.train_set, self.holdout = random_split(full, [55000, 5000])
        self.test_set = MNIST("data", train=False, transform=self.tf)

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=64, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.test_set, batch_size=256)  # expect: FIT601

    def test_dataloader(self):
        return DataLoader(self.test_set, batch_size=256)


trainer = pl.Trainer(max_epochs=20, callbacks=[ModelCheckpoint(monitor="val_acc", mode="max")])
trainer.fit(MNISTModel())
trainer.test(ckpt_path="best")
