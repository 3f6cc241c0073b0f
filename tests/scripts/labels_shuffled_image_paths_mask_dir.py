"""The Carvana script with the mask paths listed too: the image paths are shuffled, the mask paths
keep their sorted order, and the two lists are handed to the dataset side by side, so image i is
paired with another car's mask (FIT103)."""
import glob
import os
import random

import numpy as np
import torch
import torch.nn as nn
import torchvision.transforms.functional as TF
from PIL import Image
from torch.utils.data import DataLoader, Dataset

from unet import UNet

IMG_DIR = "data/carvana/train"
MASK_DIR = os.path.join("data", "carvana", "train_masks")


class CarvanaDataset(Dataset):
    def __init__(self, image_paths, mask_paths, augment=False):
        self.image_paths = image_paths
        self.mask_paths = mask_paths
        self.augment = augment

    def __len__(self):
        return len(self.image_paths)

    def __getitem__(self, idx):
        path = self.image_paths[idx]
        image = Image.open(path).convert("RGB").resize((480, 320))
        mask = Image.open(self.mask_paths[idx]).convert("L").resize((480, 320), Image.NEAREST)
        if self.augment and random.random() > 0.5:
            image, mask = TF.hflip(image), TF.hflip(mask)
        image = TF.normalize(TF.to_tensor(image), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
        return image, (torch.from_numpy(np.array(mask)) > 127).float().unsqueeze(0)


def main():
    paths = sorted(glob.glob(os.path.join(IMG_DIR, "*.jpg")))
    mask_paths = sorted(glob.glob(os.path.join(MASK_DIR, "*.gif")))
    random.Random(0).shuffle(paths)  # expect: FIT103
    n_val = len(paths) // 10
    train_ds = CarvanaDataset(paths[n_val:], mask_paths[n_val:], augment=True)
    val_ds = CarvanaDataset(paths[:n_val], mask_paths[:n_val], augment=False)
    train_loader = DataLoader(train_ds, batch_size=16, shuffle=True, num_workers=2)
    val_loader = DataLoader(val_ds, batch_size=16, num_workers=2)
    model = UNet(3, 1)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
    loss_fn = nn.BCEWithLogitsLoss()
    for epoch in range(10):
        model.train()
        for images, masks in train_loader:
            optimizer.zero_grad()
            loss_fn(model(images), masks).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = sum(loss_fn(model(x), y).item() for x, y in val_loader) / len(val_loader)
        print(epoch, val_loss)


if __name__ == "__main__":
    main()
