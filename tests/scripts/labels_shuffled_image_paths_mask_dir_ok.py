"""A Carvana segmentation script: the image paths are shuffled and split, and each mask is found
by its image's file name inside __getitem__, from the mask folder handed to the dataset beside
the paths (and an augment flag): the folder is one value, not samples that keep their order."""
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
    def __init__(self, image_paths, mask_dir, augment=False):
        self.image_paths = image_paths
        self.mask_dir = mask_dir
        self.augment = augment

    def __len__(self):
        return len(self.image_paths)

    def __getitem__(self, idx):
        path = self.image_paths[idx]
        name = os.path.basename(path).replace(".jpg", "_mask.gif")
        image = Image.open(path).convert("RGB").resize((480, 320))
        mask = Image.open(os.path.join(self.mask_dir, name)).convert("L").resize((480, 320), Image.NEAREST)
        if self.augment and random.random() > 0.5:
            image, mask = TF.hflip(image), TF.hflip(mask)
        image = TF.normalize(TF.to_tensor(image), [0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
        return image, (torch.from_numpy(np.array(mask)) > 127).float().unsqueeze(0)


def main():
    paths = sorted(glob.glob(os.path.join(IMG_DIR, "*.jpg")))
    random.Random(0).shuffle(paths)
    n_val = len(paths) // 10
    train_ds = CarvanaDataset(paths[n_val:], MASK_DIR, augment=True)
    val_ds = CarvanaDataset(paths[:n_val], MASK_DIR, augment=False)
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
