"""The same X-ray classifier cutting its two copies with one random permutation of the indices:
the head of the permutation trains, the rest validates, each class in both parts."""
import glob
import os

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, Subset
from torchvision import models, transforms

CLASSES = ["NORMAL", "PNEUMONIA"]
train_tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor()])
eval_tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()])


class XrayDataset(Dataset):
    def __init__(self, root, augment=False):
        self.items = []
        for label, cls in enumerate(CLASSES):
            for path in sorted(glob.glob(os.path.join(root, cls, "*.jpeg"))):
                self.items.append((path, label))
        self.tf = train_tf if augment else eval_tf

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        path, label = self.items[i]
        return self.tf(Image.open(path).convert("RGB")), label


train_full = XrayDataset("data/chest_xray/train", augment=True)
eval_full = XrayDataset("data/chest_xray/train", augment=False)
n_val = int(len(train_full) * 0.15)
n_train = len(train_full) - n_val
indices = torch.randperm(len(train_full), generator=torch.Generator().manual_seed(0)).tolist()
train_set = Subset(train_full, indices[:n_train])
val_set = Subset(eval_full, indices[n_train:])
train_loader = DataLoader(train_set, batch_size=32, shuffle=True)
val_loader = DataLoader(val_set, batch_size=64)

model = models.resnet18(num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / len(val_set))
