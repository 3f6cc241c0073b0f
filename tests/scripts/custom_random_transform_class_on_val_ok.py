"""A segmentation project with its own paired transforms: the training pipeline flips image and
mask at random (RandomFlipPair draws `random.random()` in its `__call__`); the validation dataset
gets the deterministic pipeline, whose hand-written steps draw nothing (a fixed crop, a tensor)."""
import random
import numpy as np
import torch
from torch.utils.data import Dataset, DataLoader
from torchvision import transforms


class RandomFlipPair:
    def __init__(self, p=0.5):
        self.p = p
    def __call__(self, sample):
        image, mask = sample
        if random.random() < self.p:
            image, mask = np.fliplr(image).copy(), np.fliplr(mask).copy()
        return image, mask


class CenterCropPair:
    def __init__(self, size=224):
        self.size = size

    def __call__(self, sample):
        image, mask = sample
        top, left = (image.shape[0] - self.size) // 2, (image.shape[1] - self.size) // 2
        return image[top:top + self.size, left:left + self.size], mask[top:top + self.size, left:left + self.size]


class ToTensorPair:
    def __call__(self, sample):
        image, mask = sample
        return torch.from_numpy(image / 255.0).float(), torch.from_numpy(mask).long()


class SegDataset(Dataset):
    def __init__(self, images, masks, transform=None):
        self.images, self.masks, self.transform = images, masks, transform
    def __len__(self):
        return len(self.images)
    def __getitem__(self, i):
        sample = (self.images[i], self.masks[i])
        return self.transform(sample) if self.transform else sample


train_tf = transforms.Compose([RandomFlipPair(), ToTensorPair()])
val_tf = transforms.Compose([CenterCropPair(), ToTensorPair()])
train_set = SegDataset(np.load("train_x.npy"), np.load("train_y.npy"), transform=train_tf)
val_set = SegDataset(np.load("val_x.npy"), np.load("val_y.npy"), transform=val_tf)
train_loader = DataLoader(train_set, batch_size=8, shuffle=True)
val_loader = DataLoader(val_set, batch_size=8)

model = torch.nn.Sequential(torch.nn.Conv2d(3, 16, 3, padding=1), torch.nn.BatchNorm2d(16), torch.nn.ReLU(),
                            torch.nn.Conv2d(16, 2, 1))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = torch.nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for images, masks in train_loader:
        optimizer.zero_grad()
        criterion(model(images.permute(0, 3, 1, 2)), masks).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        val_loss = sum(criterion(model(x.permute(0, 3, 1, 2)), y).item() for x, y in val_loader)
    print(epoch, val_loss / len(val_loader))
