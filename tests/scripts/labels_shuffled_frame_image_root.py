"""The damage classifier with the file names and the labels taken apart first: the file names are
shuffled (`np.random.shuffle(files)`) and the labels are not, and the two are handed to the dataset
side by side, beside the image folder (FIT103)."""
import argparse
import os

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--csv", default="data/labels.csv")
parser.add_argument("--img_root", default="data/images")
args = parser.parse_args()

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])


class DamageDataset(Dataset):
    def __init__(self, files, labels, img_root, is_train=False):
        self.frame = pd.DataFrame({"file": list(files), "label": list(labels)})
        self.img_root = img_root
        self.is_train = is_train

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, i):
        row = self.frame.iloc[i]
        image = Image.open(os.path.join(self.img_root, row["file"])).convert("RGB")
        if self.is_train and torch.rand(1).item() < 0.5:
            image = image.transpose(Image.FLIP_LEFT_RIGHT)
        return tf(image), int(row["label"])


df = pd.read_csv(args.csv)
files = df["file"].values
labels = df["label"].values
np.random.shuffle(files)  # expect: FIT103
cut = int(0.8 * len(df))
train_loader = DataLoader(DamageDataset(files[:cut], labels[:cut], args.img_root, is_train=True), batch_size=32,
                          shuffle=True)
val_loader = DataLoader(DamageDataset(files[cut:], labels[cut:], args.img_root), batch_size=64)

model = models.resnet18(num_classes=4)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / (len(df) - cut))
