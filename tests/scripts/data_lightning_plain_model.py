"""A Lightning module: a plain MLP classifier whose only optimizer is Adam with default settings,
and nothing in the data pipeline that fights overfitting (FIT602, a suggestion shown with
``--select FIT602``). The data module never splits its table: ``val_dataloader`` hands back the training set
(FIT603).
"""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, TensorDataset


class TabularClassifier(L.LightningModule):
    def __init__(self, n_features=64, hidden=512, n_classes=2, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.layers = nn.Sequential(
            nn.Linear(n_features, hidden),
            nn.ReLU(),
            nn.Linear(hidden, hidden),
            nn.ReLU(),
            nn.Linear(hidden, n_classes),
        )

    def forward(self, x):
        return self.layers(x)

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
        return torch.optim.Adam(self.parameters(), lr=self.hparams.lr)  # FIT602


class TabularData(L.LightningDataModule):
    def __init__(self, path="table.pt", batch_size=64):
        super().__init__()
        self.path = path
        self.batch_size = batch_size

    def setup(self, stage=None):
        x, y = torch.load(self.path)
        x = (x - x.mean(0)) / (x.std(0) + 1e-8)
        self.dataset = TensorDataset(x, y)  # never split into train and val

    def train_dataloader(self):
        return DataLoader(self.dataset, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.dataset, batch_size=256)  # FIT603


if __name__ == "__main__":
    trainer = L.Trainer(max_epochs=50)
    trainer.fit(TabularClassifier(), datamodule=TabularData())
