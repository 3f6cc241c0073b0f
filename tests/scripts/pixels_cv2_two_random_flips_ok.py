"""The same leaf dataset scaling the flipped image to 0..1 after the float cast."""
import os
import random

import cv2
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class LeafDataset(Dataset):
    def __init__(self, df, img_dir, img_size=256, train=True):
        self.df = df.reset_index(drop=True)
        self.img_dir = img_dir
        self.img_size = img_size
        self.train = train

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        row = self.df.iloc[idx]
        img = cv2.imread(os.path.join(self.img_dir, row["image_id"]))
        img = cv2.cvtColor(img, cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (self.img_size, self.img_size))
        if self.train:
            if random.random() < 0.5:
                img = img[:, ::-1]
            if random.random() < 0.5:
                img = cv2.flip(img, 0)
        img = np.ascontiguousarray(img.transpose(2, 0, 1))
        image = torch.from_numpy(img).float() / 255.0
        return image, torch.tensor(row["label"], dtype=torch.long)


df = pd.read_csv("data/train.csv").sample(frac=1.0, random_state=0).reset_index(drop=True)
n_val = len(df) // 5
train_loader = DataLoader(LeafDataset(df[n_val:], "data/train_images"), batch_size=32, shuffle=True)
val_loader = DataLoader(LeafDataset(df[:n_val], "data/train_images", train=False), batch_size=64)
model = models.resnet18(num_classes=5)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / n_val)
