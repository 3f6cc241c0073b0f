"""Garbage classification from a metadata CSV with a split column (notebook exported to a
script): a helper builds the dataset of one split with one transform; the validation dataset is
built from the validation split, with the evaluation transform."""
import os

import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

ROOT = "data/garbage"
META = pd.read_csv(os.path.join(ROOT, "metadata.csv"))
CLASSES = sorted(META["label"].unique())
norm = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
train_tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor(), norm])
eval_tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor(), norm])


class GarbageDataset(Dataset):
    def __init__(self, frame, tf):
        self.files = frame["filename"].tolist()
        self.labels = [CLASSES.index(c) for c in frame["label"]]
        self.tf = tf

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        return self.tf(Image.open(os.path.join(ROOT, "images", self.files[i])).convert("RGB")), self.labels[i]


def make_ds(split, tf):
    return GarbageDataset(META[META["split"] == split].reset_index(drop=True), tf)


train_ds = make_ds("train", train_tf)
train_dl = DataLoader(train_ds, batch_size=48, shuffle=True, drop_last=True)
valid_ds = make_ds("valid", eval_tf)
valid_dl = DataLoader(valid_ds, batch_size=96)

model = models.mobilenet_v2(weights="IMAGENET1K_V2")
model.classifier[1] = nn.Linear(model.last_channel, len(CLASSES))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.AdamW(model.parameters(), lr=5e-4, weight_decay=1e-4)
best = 0.0
for epoch in range(10):
    model.train()
    for x, y in train_dl:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        acc = sum((model(x).argmax(1) == y).sum().item() for x, y in valid_dl) / len(valid_ds)
    if acc > best:
        best = acc
        torch.save(model.state_dict(), "best.pt")
