"""Fashion-MNIST LightningDataModule whose hooks all build their loader through one `_loader`
helper, which shuffles only when asked: the training hook asks."""
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class FashionDataModule(pl.LightningDataModule):
    def __init__(self, root="./data", batch_size=128):
        super().__init__()
        self.root, self.batch_size = root, batch_size
        self.tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.286,), (0.353,))])

    def setup(self, stage=None):
        full = datasets.FashionMNIST(self.root, train=True, download=True, transform=self.tf)
        self.train_ds, self.val_ds = random_split(full, [55000, 5000], generator=torch.Generator().manual_seed(0))
        self.test_ds = datasets.FashionMNIST(self.root, train=False, download=True, transform=self.tf)

    def _loader(self, ds, shuffle=False):
        return DataLoader(ds, batch_size=self.batch_size, shuffle=shuffle, num_workers=4)

    def train_dataloader(self):
        return self._loader(self.train_ds, shuffle=True)

    def val_dataloader(self):
        return self._loader(self.val_ds)

    def test_dataloader(self):
        return self._loader(self.test_ds)
