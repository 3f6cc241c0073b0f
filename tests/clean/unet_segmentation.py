"""Binary segmentation with a small U-Net: Dice + BCE-with-logits loss, paired image/mask
augmentation inside the dataset, validation Dice without gradients, the best model kept."""
import glob
import random

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from PIL import Image
from torch.utils.data import DataLoader, Dataset


class SegmentationDataset(Dataset):
    def __init__(self, image_paths, mask_paths, augment=False):
        self.image_paths, self.mask_paths, self.augment = image_paths, mask_paths, augment

    def __len__(self):
        return len(self.image_paths)

    def __getitem__(self, i):
        image = np.asarray(Image.open(self.image_paths[i]).convert("RGB"), dtype=np.float32) / 255.0
        mask = (np.asarray(Image.open(self.mask_paths[i])) > 0).astype(np.float32)
        if self.augment and random.random() < 0.5:
            image, mask = image[:, ::-1], mask[:, ::-1]
        return torch.from_numpy(image.copy()).permute(2, 0, 1), torch.from_numpy(mask.copy()).unsqueeze(0)


def block(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True),
                         nn.Conv2d(cout, cout, 3, padding=1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class UNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.enc1, self.enc2, self.enc3 = block(3, 32), block(32, 64), block(64, 128)
        self.up2, self.dec2 = nn.ConvTranspose2d(128, 64, 2, stride=2), block(128, 64)
        self.up1, self.dec1 = nn.ConvTranspose2d(64, 32, 2, stride=2), block(64, 32)
        self.out = nn.Conv2d(32, 1, 1)

    def forward(self, x):
        e1 = self.enc1(x)
        e2 = self.enc2(F.max_pool2d(e1, 2))
        e3 = self.enc3(F.max_pool2d(e2, 2))
        d2 = self.dec2(torch.cat([self.up2(e3), e2], 1))
        d1 = self.dec1(torch.cat([self.up1(d2), e1], 1))
        return self.out(d1)


def dice_score(logits, target, eps=1e-6):
    probs = torch.sigmoid(logits)
    intersection = (probs * target).sum((1, 2, 3))
    return ((2 * intersection + eps) / (probs.sum((1, 2, 3)) + target.sum((1, 2, 3)) + eps)).mean()


images = sorted(glob.glob("data/images/*.png"))
masks = sorted(glob.glob("data/masks/*.png"))
pairs = list(zip(images, masks))
random.Random(0).shuffle(pairs)
cut = int(0.85 * len(pairs))
train_pairs, val_pairs = pairs[:cut], pairs[cut:]
train_loader = DataLoader(SegmentationDataset(*zip(*train_pairs), augment=True), batch_size=8, shuffle=True)
val_loader = DataLoader(SegmentationDataset(*zip(*val_pairs)), batch_size=8)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = UNet().to(device)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
bce = nn.BCEWithLogitsLoss()
best_dice = 0.0
for epoch in range(40):
    model.train()
    for image, mask in train_loader:
        image, mask = image.to(device), mask.to(device)
        logits = model(image)
        loss = bce(logits, mask) + 1 - dice_score(logits, mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        scores = [dice_score(model(image.to(device)), mask.to(device)).item() for image, mask in val_loader]
    val_dice = sum(scores) / len(scores)
    if val_dice > best_dice:
        best_dice = val_dice
        torch.save(model.state_dict(), "unet_best.pt")
    print(f"epoch {epoch}: val dice {val_dice:.4f}")
