import albumentations as A
import cv2
import pandas as pd
import torch
import torch.nn as nn
from albumentations.pytorch import ToTensorV2
from torch.utils.data import DataLoader, Dataset

IMG_SIZE = 256


def get_transforms(*, data):
    if data == "train":
        return A.Compose([
            A.RandomResizedCrop(IMG_SIZE, IMG_SIZE, scale=(0.8, 1.0)),
            A.HorizontalFlip(p=0.5),
            A.ShiftScaleRotate(p=0.5),
            A.Normalize(),
            ToTensorV2(),
        ])
    elif data == "valid":
        return A.Compose([A.Resize(IMG_SIZE, IMG_SIZE), A.Normalize(), ToTensorV2()])


def tta_free_pipeline(train=True):
    if train:
        pipeline = A.Compose([A.RandomCrop(224, 224), A.Normalize(), ToTensorV2()])
    else:
        pipeline = A.Compose([A.CenterCrop(224, 224), A.Normalize(), ToTensorV2()])
    return pipeline


class LeafDataset(Dataset):
    def __init__(self, df, transform=None):
        self.paths = df["path"].values
        self.labels = df["label"].values
        self.transform = transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        image = cv2.cvtColor(cv2.imread(self.paths[i]), cv2.COLOR_BGR2RGB)
        if self.transform:
            image = self.transform(image=image)["image"]
        return image, self.labels[i]


folds = pd.read_csv("folds.csv")
train_df, valid_df = folds[folds.fold != 0], folds[folds.fold == 0]
train_ds = LeafDataset(train_df, transform=get_transforms(data="train"))
valid_ds = LeafDataset(valid_df, transform=get_transforms(data="valid"))
holdout_ds = LeafDataset(pd.read_csv("holdout.csv"), transform=tta_free_pipeline(train=False))
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=4)
valid_loader = DataLoader(valid_ds, batch_size=64, num_workers=4)
holdout_loader = DataLoader(holdout_ds, batch_size=64, num_workers=4)

model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(16, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        for loader in (valid_loader, holdout_loader):
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
            print(epoch, correct / len(loader.dataset))
