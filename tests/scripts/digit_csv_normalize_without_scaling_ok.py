# The twin: the dataset divides the pixel columns by 255 before the ImageNet Normalize.
import numpy as np
import pandas as pd
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

train_df = pd.read_csv("../input/Kannada-MNIST/train.csv")
mean = torch.tensor([0.485, 0.456, 0.406], dtype=torch.float32)
std = torch.tensor([0.229, 0.224, 0.225], dtype=torch.float32)
normalize = transforms.Normalize(mean.tolist(), std.tolist())
unnormalize = transforms.Normalize((-mean / std).tolist(), (1.0 / std).tolist())


class DigitDataset(Dataset):
    def __init__(self, df, transform=None):
        self.df = df
        self.transform = transform

    def __len__(self):
        return len(self.df)

    def __getitem__(self, idx):
        image = np.array(self.df.iloc[idx][1:]).reshape(28, 28)
        image = image.astype(np.float32) / 255.0
        label = self.df.iloc[idx]["label"]
        if self.transform:
            image = self.transform(image)
        return image, label


def bin_to_rgb(t):
    return torch.tensor(np.stack([t, t, t]).astype(np.float32))


train_set = DigitDataset(train_df, transform=transforms.Compose([bin_to_rgb, normalize]))
loader = DataLoader(train_set, batch_size=64, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
