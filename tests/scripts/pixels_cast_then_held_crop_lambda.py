"""OCT retinal scans (4 classes) as grayscale PNGs: the dataset casts the image to float32 and
hands it to a crop it holds as a lambda (random crop and flip for training, a centre crop
otherwise). Crops move pixels; nothing scales them, so the CNN sees 0..255."""
import os
import random

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset

CLASSES = ["CNV", "DME", "DRUSEN", "NORMAL"]


def random_crop_flip(arr, size):
    h, w = arr.shape
    top, left = random.randint(0, h - size), random.randint(0, w - size)
    arr = arr[top:top + size, left:left + size]
    return arr[:, ::-1] if random.random() < 0.5 else arr


def center_crop(arr, size):
    h, w = arr.shape
    top, left = (h - size) // 2, (w - size) // 2
    return arr[top:top + size, left:left + size]


class OCTDataset(Dataset):
    def __init__(self, csv_path, root, img_size=224, train=False):
        self.df = pd.read_csv(csv_path)
        self.root = root
        self.crop = (lambda a: random_crop_flip(a, img_size)) if train else (lambda a: center_crop(a, img_size))

    def __len__(self):
        return len(self.df)

    def __getitem__(self, i):
        row = self.df.iloc[i]
        img = Image.open(os.path.join(self.root, row["path"])).convert("L").resize((256, 256))
        arr = np.asarray(img, dtype=np.float32)  # expect: FIT401
        arr = np.ascontiguousarray(self.crop(arr))
        return torch.from_numpy(arr)[None], CLASSES.index(row["label"])


model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(4),
                      nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Dropout(0.3), nn.Linear(64, len(CLASSES)))
train_loader = DataLoader(OCTDataset("splits/train.csv", "data", train=True), batch_size=64, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(15):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
