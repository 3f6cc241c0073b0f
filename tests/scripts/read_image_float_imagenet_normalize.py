"""Road segmentation reading images with torchvision.io: `read_image(...).float()` keeps the
0..255 range, and the ImageNet `Normalize` afterwards expects 0..1 inputs, so the encoder sees
values around 1000. The IoU helper's `sum(ious) / max(len(ious), 1)` is a guard against an
empty list, not a pixel scaling (FIT401 at the cast)."""
import glob
import random

import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from torch.utils.data import DataLoader, Dataset
from torchvision.io import ImageReadMode, read_image
from torchvision.transforms import v2 as T


class RoadDataset(Dataset):
    def __init__(self, paths, train):
        self.paths, self.train = paths, train
        self.norm = T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        path = self.paths[i]
        img = read_image(path, ImageReadMode.RGB).float()  # expect: FIT401
        mask = (read_image(path.replace("/images/", "/masks/"), ImageReadMode.GRAY) > 0).long().squeeze(0)
        if self.train and random.random() < 0.5:
            img, mask = img.flip(-1), mask.flip(-1)
        return self.norm(img), mask


def mean_iou(logits, mask, n_classes=2):
    pred = logits.argmax(1)
    ious = []
    for c in range(n_classes):
        union = ((pred == c) | (mask == c)).sum().item()
        if union:
            ious.append(((pred == c) & (mask == c)).sum().item() / union)
    return sum(ious) / max(len(ious), 1)


paths = sorted(glob.glob("data/roads/images/*.png"))
random.Random(0).shuffle(paths)
cut = int(0.8 * len(paths))
train_loader = DataLoader(RoadDataset(paths[:cut], train=True), batch_size=8, shuffle=True)
val_loader = DataLoader(RoadDataset(paths[cut:], train=False), batch_size=8)

backbone = torchvision.models.resnet34(weights="IMAGENET1K_V1")
encoder = nn.Sequential(*list(backbone.children())[:-2])
model = nn.Sequential(encoder, nn.Conv2d(512, 2, 1))
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-4)
for epoch in range(20):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        out = F.interpolate(model(x), size=y.shape[-2:], mode="bilinear", align_corners=False)
        loss = F.cross_entropy(out, y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        scores = [mean_iou(F.interpolate(model(x), size=y.shape[-2:], mode="bilinear"), y) for x, y in val_loader]
    print(epoch, sum(scores) / len(scores))
