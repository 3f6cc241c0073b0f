"""A cassava kernel's dataset class takes its pipeline positionally (`Dataset_from_csv(path, df,
folder, tsfm)` against `def __init__(self, path, dataframe, dir_images, transforms=None)`), and the
validation dataset is handed the augmenting pipeline (FIT402)."""
import os

import pandas as pd
import torch
from PIL import Image
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Dataset_from_csv(Dataset):
    def __init__(self, path, dataframe, dir_images, transforms=None):
        self.path, self.labels, self.path_images, self.transforms = path, dataframe, dir_images, transforms

    def __len__(self):
        return len(self.labels)

    def __getitem__(self, idx):
        row = self.labels.iloc[idx]
        image = Image.open(os.path.join(self.path, self.path_images, row["image_id"]))
        if self.transforms:
            image = self.transforms(image)
        return {"image": image, "label": torch.tensor(row["label"])}


path = "cassava-leaf-disease-classification"
df = pd.read_csv(os.path.join(path, "train.csv"))
t, v = train_test_split(df, test_size=0.2, stratify=df["label"], random_state=1)
tsfm = transforms.Compose([transforms.CenterCrop(528), transforms.RandomHorizontalFlip(),
                           transforms.ColorJitter(brightness=0.1, contrast=0.1), transforms.ToTensor()])
tsfm2 = transforms.Compose([transforms.CenterCrop(528), transforms.ToTensor()])
train_dataset = Dataset_from_csv(path, t, "train_images", tsfm)
valid_dataset = Dataset_from_csv(path, v, "train_images", tsfm)  # expect: FIT402
train_dataloader = DataLoader(train_dataset, batch_size=16, shuffle=True)
valid_dataloader = DataLoader(valid_dataset, batch_size=32)
