"""Kaggle's digit recognizer: the dataset casts each CSV row of 0..255 pixels to float32 and hands
it to the transform it was built with. ToTensor divides only uint8 arrays (and PIL images) by 255,
so the float array passes through unscaled and Normalize((0.5,), (0.5,)) leaves inputs in -1..509."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset, random_split
from torchvision import transforms

train_df = pd.read_csv("../input/digit-recognizer/train.csv")


class DigitDataset(Dataset):
    def __init__(self, df, transform=None):
        self.df = df
        self.transform = transform

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        image = np.array(self.df.iloc[idx, 1:]).reshape(28, 28)
        image = image.astype(np.float32)  # expect: FIT401
        label = int(self.df.iloc[idx, 0])
        if self.transform:
            image = self.transform(image)
        return image, label


normalize = transforms.Normalize((0.5,), (0.5,))
dataset = DigitDataset(train_df, transform=transforms.Compose([transforms.ToTensor(), normalize]))
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
