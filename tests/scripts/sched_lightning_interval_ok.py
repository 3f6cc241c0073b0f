"""Correct twin: per-batch schedules handed to Lightning with `"interval": "step"`, epoch
schedules left at the default interval, and a module that steps its OneCycleLR by hand in
training_step (Lightning's interval does not decide its cadence there)."""
import lightning.pytorch as pl
import torch
from torch import nn
from torch.optim.lr_scheduler import CosineAnnealingLR, CyclicLR, OneCycleLR, StepLR
from transformers import get_linear_schedule_with_warmup


class Classifier(pl.LightningModule):
    def __init__(self, lr=1e-3, schedule="onecycle"):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Sequential(nn.Linear(32, 64), nn.ReLU(), nn.Dropout(0.2), nn.Linear(64, 4))

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.net(x), y)
        self.log("train_loss", loss)
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.AdamW(self.parameters(), lr=self.hparams.lr)
        if self.hparams.schedule == "onecycle":
            scheduler = OneCycleLR(optimizer, max_lr=self.hparams.lr,
                                   total_steps=self.trainer.estimated_stepping_batches)
            return [optimizer], [{"scheduler": scheduler, "interval": "step"}]
        if self.hparams.schedule == "cyclic":
            scheduler = {"scheduler": CyclicLR(optimizer, base_lr=1e-5, max_lr=1e-3), "interval": "step"}
            return [optimizer], [scheduler]
        if self.hparams.schedule == "warmup":
            total = self.trainer.estimated_stepping_batches
            scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * total), total)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "interval": "step"}}
        if self.hparams.schedule == "cosine":
            scheduler = CosineAnnealingLR(optimizer, T_max=self.trainer.max_epochs)
            return [optimizer], [scheduler]
        scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
        return [optimizer], [scheduler]


class HandStepped(pl.LightningModule):
    def __init__(self, steps_per_epoch, epochs):
        super().__init__()
        self.save_hyperparameters()
        self.net = nn.Linear(32, 4)

    def training_step(self, batch, batch_idx):
        x, y = batch
        loss = nn.functional.cross_entropy(self.net(x), y)
        self.lr_schedulers().step()
        return loss

    def configure_optimizers(self):
        optimizer = torch.optim.Adam(self.parameters(), lr=1e-3)
        scheduler = OneCycleLR(optimizer, max_lr=1e-3, steps_per_epoch=self.hparams.steps_per_epoch,
                               epochs=self.hparams.epochs)
        return [optimizer], [scheduler]
