"""A Kaggle melanoma kernel: the dataset takes its pipeline as `transforms_object=` (torchtoolbox's
copies of the torchvision transforms); the test set gets the deterministic pipeline."""
import cv2
import pandas as pd
import torch
import torch.nn as nn
import torchtoolbox.transform as transforms
from efficientnet_pytorch import EfficientNet
from torch.utils.data import DataLoader, Dataset


class MelanomaDataset(Dataset):
    def __init__(self, df: pd.DataFrame, imfolder: str, transforms_object=None, target_transform=None):
        self.df = df
        self.imfolder = imfolder
        self.transforms_object = transforms_object
        self.target_transform = target_transform

    def __getitem__(self, index):
        image = cv2.imread(f"{self.imfolder}/{self.df.iloc[index]['image_name']}.jpg")
        if self.transforms_object:
            image = self.transforms_object(image)
        target = self.df.iloc[index]["target"]
        if self.target_transform:
            target = self.target_transform(target)
        return image, target

    def __len__(self):
        return len(self.df)


train_transform = transforms.Compose([
    transforms.RandomResizedCrop(size=256, scale=(0.7, 1)),
    transforms.RandomHorizontalFlip(),
    transforms.RandomVerticalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
test_transform = transforms.Compose([
    transforms.Resize((256, 256)),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
train_df, test_df = pd.read_csv("train.csv"), pd.read_csv("test.csv")
train_dataset = MelanomaDataset(train_df, "jpeg/train", transforms_object=train_transform)
test_dataset = MelanomaDataset(test_df, "jpeg/test", transforms_object=test_transform)
train_loader = DataLoader(train_dataset, batch_size=32, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=64)

model = EfficientNet.from_pretrained("efficientnet-b1", num_classes=1)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(5):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images).squeeze(1), labels.float()).backward()
        optimizer.step()
model.eval()
with torch.no_grad():
    predictions = torch.cat([torch.sigmoid(model(images)).squeeze(1) for images, _ in test_loader])
