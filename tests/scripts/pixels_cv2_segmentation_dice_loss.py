"""A UNet segmentation script reading images with OpenCV and casting them to float with no scaling
(FIT401); its dice loss, `1 - dice.mean()`, subtracts a mean from a number and scales no input."""
import glob

import cv2
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset

from unet import UNet


class CellDataset(Dataset):
    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        img = cv2.cvtColor(cv2.imread(self.paths[i], cv2.IMREAD_COLOR), cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (256, 256))
        mask = cv2.resize(cv2.imread(self.paths[i].replace("images", "masks"), cv2.IMREAD_GRAYSCALE), (256, 256))
        image = torch.from_numpy(np.ascontiguousarray(img.transpose(2, 0, 1)).astype(np.float32))  # expect: FIT401
        return image, torch.from_numpy((mask > 127).astype(np.float32))[None]


def dice_loss(logits, target, eps=1.0):
    p = torch.sigmoid(logits)
    inter = (p * target).sum((1, 2, 3))
    dice = (2 * inter + eps) / (p.sum((1, 2, 3)) + target.sum((1, 2, 3)) + eps)
    return 1 - dice.mean()


paths = sorted(glob.glob("data/images/*.png"))
train_loader = DataLoader(CellDataset(paths), batch_size=16, shuffle=True)
model = UNet(3, 1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
bce = nn.BCEWithLogitsLoss()
for epoch in range(20):
    model.train()
    for images, masks in train_loader:
        optimizer.zero_grad()
        logits = model(images)
        loss = bce(logits, masks) + dice_loss(logits, masks)
        loss.backward()
        optimizer.step()
    print(epoch, loss.item())
