"""A melanoma Kaggle kernel's dataset class takes its pipeline as `transforms=` (plural), and the
test dataset is handed the training pipeline with its random crops and flips (FIT402)."""
import os

import cv2
import pandas as pd
import torch
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class MelanomaDataset(Dataset):
    def __init__(self, df, imfolder, train=True, transforms=None):
        self.df, self.imfolder, self.train, self.transforms = df, imfolder, train, transforms

    def __len__(self):
        return len(self.df)

    def __getitem__(self, index):
        image = cv2.imread(os.path.join(self.imfolder, self.df.iloc[index]["image_name"] + ".jpg"))
        if self.transforms:
            image = self.transforms(image)
        if self.train:
            return image, self.df.iloc[index]["target"]
        return image


train_transform = transforms.Compose([transforms.ToPILImage(), transforms.RandomResizedCrop(256, scale=(0.7, 1.0)),
                                      transforms.RandomHorizontalFlip(), transforms.ToTensor()])
test_transform = transforms.Compose([transforms.ToPILImage(), transforms.Resize(256), transforms.ToTensor()])
train_df, test_df = pd.read_csv("train.csv"), pd.read_csv("test.csv")
train = MelanomaDataset(train_df, "jpeg/train", train=True, transforms=train_transform)
test = MelanomaDataset(test_df, "jpeg/test", train=False, transforms=train_transform)  # expect: FIT402
train_loader = DataLoader(train, batch_size=64, shuffle=True, num_workers=2)
test_loader = DataLoader(test, batch_size=32, shuffle=False, num_workers=2)
