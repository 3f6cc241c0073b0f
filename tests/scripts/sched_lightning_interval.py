"""A LightningModule returns per-batch schedules from configure_optimizers without
`"interval": "step"`: Lightning steps them once per epoch, so the one-cycle warm-up never ends
(FIT002); and an epoch-sized StepLR handed over with `"interval": "step"` decays every batch."""
import lightning.pytorch as pl
import torch
from torch import nn
from torch.optim.lr_scheduler import OneCycleLR, StepLR
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
            return [optimizer], [scheduler]  # FIT002
        if self.hparams.schedule == "warmup":
            total = self.trainer.estimated_stepping_batches
            scheduler = get_linear_schedule_with_warmup(optimizer, int(0.1 * total), total)
            return {"optimizer": optimizer, "lr_scheduler": {"scheduler": scheduler, "monitor": "val_loss"}}  # FIT002
        scheduler = StepLR(optimizer, step_size=30, gamma=0.1)
        return [optimizer], [{"scheduler": scheduler, "interval": "step"}]  # FIT002
