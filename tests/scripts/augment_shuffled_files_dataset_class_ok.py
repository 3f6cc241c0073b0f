"""The same script building the held-out set with the evaluation transform; the file list shuffled
before the cut is handed to the dataset class beside a transform, which is no label list."""
import glob
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import models, transforms

train_transform = transforms.Compose([
    transforms.RandomResizedCrop(224),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
eval_transform = transforms.Compose([
    transforms.Resize(256),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])


class CatDogDataset(Dataset):
    def __init__(self, files, transform):
        self.files = files
        self.transform = transform

    def __len__(self):
        return len(self.files)

    def __getitem__(self, i):
        path = self.files[i]
        label = 1 if "dog" in path.split("/")[-1] else 0
        return self.transform(Image.open(path).convert("RGB")), label


files = sorted(glob.glob("data/train/*.jpg"))
random.Random(42).shuffle(files)
cut = int(0.8 * len(files))
catdog_trainset = CatDogDataset(files[:cut], train_transform)
catdog_testset = CatDogDataset(files[cut:], eval_transform)
trainloader = DataLoader(catdog_trainset, batch_size=32, shuffle=True)
testloader = DataLoader(catdog_testset, batch_size=64)

model = models.resnet18(weights="IMAGENET1K_V1")
model.fc = nn.Linear(model.fc.in_features, 2)
optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for images, labels in trainloader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in testloader)
    print(epoch, correct / len(catdog_testset))
