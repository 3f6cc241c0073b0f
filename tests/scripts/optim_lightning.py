"""A Lightning module: a batch-norm network on batches of 4, a running loss kept as a tensor on
the module, and an Adam learning rate of 0.5."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class LitClassifier(L.LightningModule):
    def __init__(self, data_dir="./data"):
        super().__init__()
        self.data_dir = data_dir
        self.net = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(16 * 14 * 14, 10),
        )
        self.running_loss = 0.0
        self.transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])

    def forward(self, x):
        return self.net(x)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = F.cross_entropy(self(x), y)
        self.running_loss += loss  # FIT502
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        x, y = batch
        logits = self(x)
        self.log("val_loss", F.cross_entropy(logits, y))
        self.log("val_acc", (logits.argmax(1) == y).float().mean())

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=0.5)  # FIT505

    def setup(self, stage=None):
        full = datasets.MNIST(self.data_dir, train=True, download=True, transform=self.transform)
        self.train_set, self.val_set = random_split(full, [55000, 5000], generator=torch.Generator().manual_seed(0))

    def train_dataloader(self):
        return DataLoader(self.train_set, batch_size=4, shuffle=True, num_workers=2)  # FIT504

    def val_dataloader(self):
        return DataLoader(self.val_set, batch_size=256)


if __name__ == "__main__":
    trainer = L.Trainer(max_epochs=5)
    trainer.fit(LitClassifier())
