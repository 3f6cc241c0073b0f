"""Histopathologic cancer detection (96x96 patches) in a Kaggle kernel's shape, with hand-written
augmentation classes (flips and 90-degree turns composed by a small Compose). They move pixels
without scaling them, and the float cast after them leaves the patches in 0..255."""
import os
import random

import cv2
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class Compose:
    def __init__(self, ops):
        self.ops = ops

    def __call__(self, image):
        for op in self.ops:
            image = op(image)
        return image


class HFlip:
    def __init__(self, p=0.5):
        self.p = p

    def __call__(self, image):
        return image[:, ::-1] if random.random() < self.p else image


class RandomRot90:
    def __call__(self, image):
        return np.rot90(image, random.randint(0, 3))


class PatchDataset(Dataset):
    def __init__(self, frame, folder, tfms=None):
        self.ids, self.labels = frame["id"].values, frame["label"].values.astype(np.float32)
        self.folder, self.tfms = folder, tfms

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image = cv2.imread(os.path.join(self.folder, self.ids[i] + ".tif"))
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        if self.tfms is not None:
            image = self.tfms(image)
        image = np.ascontiguousarray(image).astype(np.float32)  # expect: FIT401
        return torch.from_numpy(image.transpose(2, 0, 1)), torch.tensor(self.labels[i])


def main():
    frame = pd.read_csv("train_labels.csv").sample(frac=1.0, random_state=13)
    n_val = len(frame) // 10
    train_set = PatchDataset(frame.iloc[n_val:], "train", Compose([HFlip(), RandomRot90()]))
    val_set = PatchDataset(frame.iloc[:n_val], "train")
    train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)
    model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(32, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(8):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x).squeeze(1), y).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            loss = sum(criterion(model(x).squeeze(1), y).item() for x, y in val_loader) / len(val_loader)
        print(epoch, loss)


if __name__ == "__main__":
    main()
