"""Kaggle's digit recognizer: the dataset casts each CSV row of 0..255 pixels to float32 and hands
it to the transform it is built with, chosen by the caller: here an albumentations pipeline whose
Normalize divides by max_pixel_value=255 first, so the inputs reach the model scaled; a second
dataset class, built with a transform of unknown content (`get_transform()` of another module),
is left to its caller too."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, random_split
import albumentations as A
from albumentations.pytorch import ToTensorV2

from augment import get_transform

train_df = pd.read_csv("../input/digit-recognizer/train.csv")


class DigitDataset(Dataset):
    def __init__(self, df, transform=None):
        self.df = df
        self.transform = transform

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        image = np.array(self.df.iloc[idx, 1:]).reshape(28, 28)
        image = image.astype(np.float32)
        label = int(self.df.iloc[idx, 0])
        if self.transform:
            image = self.transform(image=image)["image"]
        return image, label




class ShiftedDigits(DigitDataset):
    def __getitem__(self, idx):
        image = np.array(self.df.iloc[idx, 1:]).reshape(28, 28).astype(np.float32)
        image = self.transform(image)
        return image, int(self.df.iloc[idx, 0])


normalize = A.Normalize(mean=(0.5,), std=(0.5,))
dataset = DigitDataset(train_df, transform=A.Compose([normalize, ToTensorV2()]))
shifted = ShiftedDigits(train_df, transform=get_transform())
train_set, val_set = random_split(dataset, [0.9, 0.1], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in val_loader:
            correct += (model(images).argmax(1) == labels).sum().item()
    print(epoch, correct / len(val_set))
