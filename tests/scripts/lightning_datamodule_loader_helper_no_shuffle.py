"""Fashion-MNIST LightningDataModule whose hooks all build their loader through one `_loader`
helper. The helper never shuffles, so Lightning walks the training split in the same order every
epoch (Lightning runs the loop: the hook's name is what says which loader trains)."""
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

    def _loader(self, ds):
        return DataLoader(ds, batch_size=self.batch_size, num_workers=4)  # expect: FIT101

    def train_dataloader(self):
        return self._loader(self.train_ds)

    def val_dataloader(self):
        return self._loader(self.val_ds)

    def test_dataloader(self):
        return self._loader(self.test_ds)
