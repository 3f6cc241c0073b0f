"""A Kaggle leaf-disease dataset class that builds its own augmentation in `__init__`
(`self.aug = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), ...])`) and applies it
to every image in `__getitem__`: the validation dataset built from the same class is randomly
cropped and flipped at every evaluation (FIT402, reported where the class builds its augmentation)."""
import pandas as pd
import torch
import torch.nn as nn
import torchvision.transforms as T
from PIL import Image
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, Dataset
from torchvision import models


class LeafDataset(Dataset):
    def __init__(self, df, image_dir):
        self.df, self.image_dir = df.reset_index(drop=True), image_dir
        self.aug = T.Compose([T.RandomResizedCrop(224), T.RandomHorizontalFlip(), T.ColorJitter(0.2, 0.2),  # expect: FIT402
                              T.ToTensor(), T.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])

    def __len__(self):
        return len(self.df)

    def __getitem__(self, i):
        image = Image.open(f"{self.image_dir}/{self.df.image_id[i]}").convert("RGB")
        return self.aug(image), int(self.df.label[i])


df = pd.read_csv("train.csv")
train_df, val_df = train_test_split(df, test_size=0.2, stratify=df.label, random_state=42)
train_ds = LeafDataset(train_df, "train_images")
val_ds = LeafDataset(val_df, "train_images")
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True, num_workers=4)
val_loader = DataLoader(val_ds, batch_size=64, num_workers=4)

model = models.resnet50(weights="IMAGENET1K_V2")
model.fc = nn.Linear(model.fc.in_features, 5)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4, weight_decay=1e-2)
criterion = nn.CrossEntropyLoss()
best = 0.0
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in val_loader:
            correct += (model(x).argmax(1) == y).sum().item()
    acc = correct / len(val_ds)
    if acc > best:
        best = acc
        torch.save(model.state_dict(), "best.pt")
