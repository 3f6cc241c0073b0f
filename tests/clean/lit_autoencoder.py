"""A Lightning autoencoder with a callback that samples reconstructions at the end of each
training epoch (eval mode and no_grad inside the callback, train mode restored)."""
import lightning.pytorch as pl
import torch
import torch.nn.functional as F
import torchvision
from torch import nn
from torch.utils.data import DataLoader, random_split
from torchvision import transforms
from torchvision.datasets import MNIST


class ImageSampler(pl.Callback):
    def __init__(self, num_samples=8):
        super().__init__()
        self.num_samples = num_samples

    def on_train_epoch_end(self, trainer, pl_module):
        images, _ = next(iter(DataLoader(trainer.datamodule.mnist_val, batch_size=self.num_samples)))
        with torch.no_grad():
            pl_module.eval()
            generated = pl_module(images.view(images.size(0), -1).to(pl_module.device))
            pl_module.train()
        grid = torchvision.utils.make_grid(generated.reshape(images.shape))
        torchvision.utils.save_image(grid, f"generated_{trainer.current_epoch}.png")


class LitAutoEncoder(pl.LightningModule):
    def __init__(self, hidden_dim=64, learning_rate=1e-3):
        super().__init__()
        self.save_hyperparameters()
        self.encoder = nn.Sequential(nn.Linear(28 * 28, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, 3))
        self.decoder = nn.Sequential(nn.Linear(3, hidden_dim), nn.ReLU(), nn.Linear(hidden_dim, 28 * 28))

    def forward(self, x):
        return self.decoder(self.encoder(x))

    def _common_step(self, batch, stage):
        x, _ = batch
        x = x.view(x.size(0), -1)
        loss = F.mse_loss(self(x), x)
        self.log(f"{stage}_loss", loss)
        return loss

    def training_step(self, batch, batch_idx):
        return self._common_step(batch, "train")

    def validation_step(self, batch, batch_idx):
        self._common_step(batch, "val")

    def configure_optimizers(self):
        return torch.optim.Adam(self.parameters(), lr=self.hparams.learning_rate)


class MNISTData(pl.LightningDataModule):
    def __init__(self, batch_size=32):
        super().__init__()
        dataset = MNIST("data", train=True, download=True, transform=transforms.ToTensor())
        self.mnist_train, self.mnist_val = random_split(dataset, [55000, 5000])
        self.batch_size = batch_size

    def train_dataloader(self):
        return DataLoader(self.mnist_train, batch_size=self.batch_size, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.mnist_val, batch_size=self.batch_size)


if __name__ == "__main__":
    trainer = pl.Trainer(max_epochs=10, callbacks=[ImageSampler()])
    trainer.fit(LitAutoEncoder(), datamodule=MNISTData())
