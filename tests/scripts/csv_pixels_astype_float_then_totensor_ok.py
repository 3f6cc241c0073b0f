"""The same digit-recognizer kernel keeping the CSV pixels as uint8 until ToTensor(), which divides
them by 255."""
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

df = pd.read_csv("/kaggle/input/digit-recognizer/train.csv").sample(frac=1.0, random_state=0)
train_df, val_df = df.iloc[8000:], df.iloc[:8000]
X_train = train_df.drop("label", axis=1).values.reshape(-1, 28, 28).astype("uint8")
y_train = train_df["label"].values
X_val = val_df.drop("label", axis=1).values.reshape(-1, 28, 28).astype("uint8")
y_val = val_df["label"].values
transform = transforms.Compose([transforms.ToTensor()])


class DigitDataset(Dataset):
    def __init__(self, images, labels, transform=None):
        self.images, self.labels, self.transform = images, labels, transform

    def __len__(self):
        return len(self.images)

    def __getitem__(self, idx):
        image = self.images[idx]
        if self.transform:
            image = self.transform(image)
        return image, torch.tensor(self.labels[idx])


train_loader = DataLoader(DigitDataset(X_train, y_train, transform), batch_size=64, shuffle=True)
val_loader = DataLoader(DigitDataset(X_val, y_val, transform), batch_size=256)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
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
    print(epoch, correct / len(X_val))
