"""The twin of select_lightning_val_hook_test_split.py: validation is a split of the training set."""
import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, random_split
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
        full = datasets.MNIST("data", train=True, download=True, transform=self.tf)
        _, val_part = random_split(full, [55000, 5000], generator=torch.Generator().manual_seed(0))
        return DataLoader(val_part, batch_size=256)


checkpoint = ModelCheckpoint(monitor="val_acc", mode="max", save_top_k=1)
trainer = pl.Trainer(max_epochs=10, callbacks=[checkpoint])
trainer.fit(LitMNIST())
