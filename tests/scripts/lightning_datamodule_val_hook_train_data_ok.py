"""EMNIST letters with LightningDataModules that build their loaders through a `_loader` helper.
Each `val_dataloader` walks the held-out part of a seeded `random_split` (`self.val_ds`): once
through the helper, once written out while the training loader goes through the helper."""
import pytorch_lightning as pl
import torch
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms as T


class LettersDataModule(pl.LightningDataModule):
    def __init__(self, root="./data", batch_size=256, val_size=12000, num_workers=4):
        super().__init__()
        self.root, self.batch_size, self.val_size, self.num_workers = root, batch_size, val_size, num_workers
        self.tf = T.Compose([T.ToTensor(), T.Normalize((0.1722,), (0.3309,))])

    def setup(self, stage=None):
        full = datasets.EMNIST(self.root, split="letters", train=True, transform=self.tf)
        self.train_ds, self.val_ds = random_split(full, [len(full) - self.val_size, self.val_size],
                                                  generator=torch.Generator().manual_seed(42))
        self.test_ds = datasets.EMNIST(self.root, split="letters", train=False, transform=self.tf)

    def _loader(self, ds, shuffle):
        return DataLoader(ds, batch_size=self.batch_size, shuffle=shuffle, num_workers=self.num_workers)

    def train_dataloader(self):
        return self._loader(self.train_ds, shuffle=True)

    def val_dataloader(self):
        return self._loader(self.val_ds, shuffle=False)

    def test_dataloader(self):
        return self._loader(self.test_ds, shuffle=False)


class DigitsDataModule(pl.LightningDataModule):
    def __init__(self, root="./data", batch_size=256):
        super().__init__()
        self.root, self.batch_size = root, batch_size

    def setup(self, stage=None):
        full = datasets.MNIST(self.root, train=True, transform=T.ToTensor())
        self.train_ds, self.val_ds = random_split(full, [55000, 5000], generator=torch.Generator().manual_seed(0))

    def _loader(self, ds, shuffle):
        return DataLoader(ds, batch_size=self.batch_size, shuffle=shuffle, num_workers=4)

    def train_dataloader(self):
        return self._loader(self.train_ds, shuffle=True)

    def val_dataloader(self):
        return DataLoader(self.val_ds, batch_size=self.batch_size, num_workers=4)
