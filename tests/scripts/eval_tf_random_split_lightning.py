"""A Lightning DataModule and module for an image folder without a separate validation folder: the
validation subset is split off the augmented training dataset with random_split (FIT402), so it
inherits RandomResizedCrop and the flips: validation accuracy, and ModelCheckpoint's choice on it,
are decided on randomly distorted images. The test dataset has its own deterministic transform.
"""
import pytorch_lightning as pl
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from pytorch_lightning.callbacks import ModelCheckpoint
from torch.utils.data import DataLoader, random_split
from torchvision import transforms
from torchvision.datasets import ImageFolder


class FolderDataModule(pl.LightningDataModule):
    def __init__(self, root="data/pets", batch_size=64, val_fraction=0.1):
        super().__init__()
        self.root = root
        self.batch_size = batch_size
        self.val_fraction = val_fraction
        self.train_transform = transforms.Compose([
            transforms.RandomResizedCrop(224),
            transforms.RandomHorizontalFlip(),
            transforms.RandAugment(num_ops=2, magnitude=9),
            transforms.ToTensor(),
            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ])
        self.test_transform = transforms.Compose([
            transforms.Resize(256),
            transforms.CenterCrop(224),
            transforms.ToTensor(),
            transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
        ])

    def setup(self, stage=None):
        full = ImageFolder(f"{self.root}/trainval", transform=self.train_transform)
        n_val = int(len(full) * self.val_fraction)
        generator = torch.Generator().manual_seed(42)
        self.train_ds, self.val_ds = random_split(full, [len(full) - n_val, n_val], generator=generator)  # FIT402
        self.test_ds = ImageFolder(f"{self.root}/test", transform=self.test_transform)

    def train_dataloader(self):
        return DataLoader(self.train_ds, batch_size=self.batch_size, shuffle=True, num_workers=4)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=self.batch_size, num_workers=4)

    def test_dataloader(self):
        return DataLoader(self.test_ds, batch_size=self.batch_size, num_workers=4)


class Classifier(pl.LightningModule):
    def __init__(self, num_classes=37, lr=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.backbone = torchvision.models.resnet34(weights="IMAGENET1K_V1")
        self.backbone.fc = nn.Linear(self.backbone.fc.in_features, num_classes)

    def forward(self, x):
        return self.backbone(x)

    def training_step(self, batch, batch_idx):
        images, labels = batch
        loss = F.cross_entropy(self(images), labels)
        self.log("train_loss", loss)
        return loss

    def validation_step(self, batch, batch_idx):
        images, labels = batch
        logits = self(images)
        self.log("val_loss", F.cross_entropy(logits, labels), prog_bar=True)
        self.log("val_acc", (logits.argmax(1) == labels).float().mean(), prog_bar=True)

    def test_step(self, batch, batch_idx):
        images, labels = batch
        self.log("test_acc", (self(images).argmax(1) == labels).float().mean())

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=self.hparams.lr, weight_decay=0.05)


if __name__ == "__main__":
    data = FolderDataModule()
    checkpoint = ModelCheckpoint(monitor="val_acc", mode="max")
    trainer = pl.Trainer(max_epochs=20, callbacks=[checkpoint])
    trainer.fit(Classifier(), datamodule=data)
    trainer.test(ckpt_path="best", datamodule=data)
