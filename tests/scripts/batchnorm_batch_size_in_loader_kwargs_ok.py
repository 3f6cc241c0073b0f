"""Polyp segmentation at full resolution: the loader settings are shared through a dict spread
into both loaders, with a batch of 16 and the last partial batch dropped for training; a
validation-only dict may use batches of 2 (evaluation uses the running statistics)."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class PolypDataset(Dataset):
    def __init__(self, images, masks):
        self.images, self.masks = images, masks

    def __len__(self):
        return len(self.images)

    def __getitem__(self, i):
        return self.images[i], self.masks[i]


def block(c_in, c_out):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(inplace=True))


class TinyUNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.down, self.bottom = block(3, 32), block(32, 64)
        self.up = nn.ConvTranspose2d(64, 32, 2, stride=2)
        self.dec, self.head = block(64, 32), nn.Conv2d(32, 1, 1)

    def forward(self, x):
        d = self.down(x)
        b = self.bottom(nn.functional.max_pool2d(d, 2))
        return self.head(self.dec(torch.cat([self.up(b), d], 1)))


def main(train_images, train_masks, val_images, val_masks):
    loader_kwargs = dict(
        batch_size=16,
        num_workers=4,
        pin_memory=True,
    )
    eval_kwargs = {"batch_size": 2, "num_workers": 2}
    train_loader = DataLoader(PolypDataset(train_images, train_masks), shuffle=True, drop_last=True, **loader_kwargs)
    val_loader = DataLoader(PolypDataset(val_images, val_masks), shuffle=False, **eval_kwargs)
    model = TinyUNet()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(50):
        model.train()
        for x, m in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(x), m)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = sum(criterion(model(x), m).item() for x, m in val_loader) / len(val_loader)
        print(f"epoch {epoch}: val loss {val_loss:.4f}")
