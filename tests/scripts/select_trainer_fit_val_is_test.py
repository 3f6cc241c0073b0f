"""Lightning's trainer.fit() validates on the CIFAR-10 test loader while EarlyStopping and a
ModelCheckpoint monitor val_loss (FIT601)."""
import lightning as L
import torch
import torch.nn as nn
import torch.nn.functional as F
from lightning.pytorch.callbacks import EarlyStopping, ModelCheckpoint
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class Classifier(L.LightningModule):
    def __init__(self):
        super().__init__()
        self.model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 512), nn.ReLU(), nn.Dropout(0.3), nn.Linear(512, 10))

    def training_step(self, batch, batch_idx):
        x, y = batch
        return F.cross_entropy(self.model(x), y)

    def validation_step(self, batch, batch_idx):
        x, y = batch
        self.log("val_loss", F.cross_entropy(self.model(x), y))

    def configure_optimizers(self):
        return torch.optim.AdamW(self.parameters(), lr=3e-4)


tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
train_loader = DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=tf), batch_size=128, shuffle=True)
test_loader = DataLoader(datasets.CIFAR10("data", train=False, download=True, transform=tf), batch_size=512)
trainer = L.Trainer(max_epochs=50, callbacks=[EarlyStopping(monitor="val_loss", patience=5),
                                              ModelCheckpoint(monitor="val_loss")])
trainer.fit(Classifier(), train_dataloaders=train_loader, val_dataloaders=test_loader)  # FIT601
trainer.test(ckpt_path="best", dataloaders=test_loader)
