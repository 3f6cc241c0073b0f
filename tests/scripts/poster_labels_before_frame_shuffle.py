"""Multi-label movie-genre classification from posters (a Kaggle kernel's shape): the genre columns
are listed from the frame, the frame is shuffled and cut into train and validation parts. The label
matrix is taken from the frame before the shuffle, so the rows no longer match the posters."""
import os

import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms


class PosterDataset(Dataset):
    def __init__(self, frame, labels, image_dir, transform):
        self.ids = frame["imdbId"].tolist()
        self.labels = labels
        self.image_dir = image_dir
        self.transform = transform

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, i):
        image = Image.open(os.path.join(self.image_dir, f"{self.ids[i]}.jpg")).convert("RGB")
        return self.transform(image), torch.tensor(self.labels[i], dtype=torch.float32)


def main():
    df = pd.read_csv("data/posters/train.csv")
    genres = [c for c in df.columns if c not in ("imdbId", "Genre")]
    labels = df[genres].values.astype(np.float32)
    df = df.sample(frac=1.0, random_state=0).reset_index(drop=True)  # expect: FIT103
    n_val = len(df) // 10
    val_df, train_df = df.iloc[:n_val], df.iloc[n_val:]
    norm = transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
    train_tf = transforms.Compose([transforms.Resize((300, 200)), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), norm])
    val_tf = transforms.Compose([transforms.Resize((300, 200)), transforms.ToTensor(), norm])
    train_set = PosterDataset(train_df, labels[n_val:], "data/posters/images", train_tf)
    val_set = PosterDataset(val_df, labels[:n_val], "data/posters/images", val_tf)
    train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=64)

    model = models.resnet34(weights="IMAGENET1K_V1")
    model.fc = nn.Linear(model.fc.in_features, len(genres))
    optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-2)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(12):
        model.train()
        for images, targets in train_loader:
            optimizer.zero_grad()
            criterion(model(images), targets).backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            val_loss = sum(criterion(model(x), t).item() for x, t in val_loader) / len(val_loader)
        print(epoch, val_loss)


if __name__ == "__main__":
    main()
