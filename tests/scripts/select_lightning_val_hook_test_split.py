"""A LightningModule whose val_dataloader() returns the MNIST test set (train=False), with a
ModelCheckpoint that keeps the best val_acc (FIT601)."""
import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class LitMNIST(pl.LightningModule):
    def __init__(self, lr=1e-3):
        super().__init__()
        self.lr = lr
        self.net = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.lr)

    def train_dataloader(self):
        return DataLoader(datasets.MNIST("data", train=True, download=True, transform=self.tf), batch_size=64, shuffle=True)

    def val_dataloader(self):
        return DataLoader(datasets.MNIST("data", train=False, download=True, transform=self.tf), batch_size=256)  # FIT601


checkpoint = ModelCheckpoint(monitor="val_acc", mode="max", save_top_k=1)
trainer = pl.Trainer(max_epochs=10, callbacks=[checkpoint])
trainer.fit(LitMNIST())
