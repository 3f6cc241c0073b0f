"""A Kaggle leaf-classification script: the training csv is shuffled into folds, and the project's
dataset class takes train=False for the held-out fold only to switch its random flips off; the
best checkpoint is chosen on that validation fold, not on a test split."""
import argparse
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
    """Cassava leaf images listed in a csv (image_id, label); the test images are never read here."""

    def __init__(self, df, img_dir, img_size=256, train=True):
        self.df = df.reset_index(drop=True)
        self.img_dir = img_dir
        self.img_size = img_size
        self.train = train

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        row = self.df.iloc[idx]
        img = cv2.cvtColor(cv2.imread(os.path.join(self.img_dir, row["image_id"])), cv2.COLOR_BGR2RGB)
        img = cv2.resize(img, (self.img_size, self.img_size))
        if self.train and random.random() < 0.5:
            img = img[:, ::-1]
        img = np.ascontiguousarray(img.transpose(2, 0, 1)).astype(np.float32) / 255.0
        return torch.from_numpy(img), torch.tensor(row["label"], dtype=torch.long)


def read_folds(csv_path, n_folds=5, seed=0):
    df = pd.read_csv(csv_path).sample(frac=1.0, random_state=seed).reset_index(drop=True)
    df["fold"] = np.arange(len(df)) % n_folds
    return df


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--csv", default="data/train.csv")
    parser.add_argument("--img_dir", default="data/train_images")
    parser.add_argument("--fold", type=int, default=0)
    args = parser.parse_args()
    df = read_folds(args.csv)
    train_ds = LeafDataset(df[df.fold != args.fold], args.img_dir, train=True)
    valid_ds = LeafDataset(df[df.fold == args.fold], args.img_dir, train=False)
    train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=4)
    valid_loader = DataLoader(valid_ds, batch_size=64, num_workers=4)
    model = models.resnet18(num_classes=5)
    optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
    criterion = nn.CrossEntropyLoss()
    best_acc = 0.0
    for epoch in range(15):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            criterion(model(images), labels).backward()
            optimizer.step()
        model.eval()
        correct = total = 0
        with torch.no_grad():
            for images, labels in valid_loader:
                correct += (model(images).argmax(1) == labels).sum().item()
                total += labels.numel()
        val_acc = correct / total
        if val_acc > best_acc:
            best_acc = val_acc
            torch.save(model.state_dict(), f"leaf_fold{args.fold}.pth")


if __name__ == "__main__":
    main()
