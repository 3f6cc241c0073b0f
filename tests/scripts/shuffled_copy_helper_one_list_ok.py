# The twin: the (path, label) pairs go through the shuffling helper together.
import glob
import os
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


def read_folders(root):
    paths, labels = [], []
    for label, cls in enumerate(sorted(os.listdir(root))):
        for p in glob.glob(os.path.join(root, cls, "*.jpg")):
            paths.append(p)
            labels.append(label)
    return paths, labels


def mix(items):
    items = list(items)
    random.shuffle(items)
    return items


class PetDataset(Dataset):
    def __init__(self, paths, labels, transform):
        self.paths, self.labels, self.transform = paths, labels, transform

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, i):
        return self.transform(Image.open(self.paths[i]).convert("RGB")), self.labels[i]


paths, labels = read_folders("data/pets")
pairs = mix(zip(paths, labels))
paths, labels = [p for p, _ in pairs], [y for _, y in pairs]
tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
loader = DataLoader(PetDataset(paths, labels, tf), batch_size=32, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2),
                      nn.Linear(16, 37))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
