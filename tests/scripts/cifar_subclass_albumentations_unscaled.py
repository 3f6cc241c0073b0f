"""The course-repo CIFAR-10 dataset with albumentations: `__getitem__` reads the raw uint8 pixels
(`self.data[index]`), runs a pipeline of crops, flips and cutout that ends in `ToTensorV2()` (which
does not scale) with no `A.Normalize`, and casts: the model sees 0..255."""
import albumentations as A
import torch
import torch.nn as nn
import torch.nn.functional as F
from albumentations.pytorch import ToTensorV2
from torch.utils.data import DataLoader
from torchvision import datasets


class Cifar10SearchDataset(datasets.CIFAR10):
    def __init__(self, root="~/data/cifar10", train=True, download=True, transform=None):
        super().__init__(root=root, train=train, download=download, transform=transform)

    def __getitem__(self, index):
        image, label = self.data[index], self.targets[index]
        if self.transform is not None:
            transformed = self.transform(image=image)
            image = transformed["image"]
        image = image.float()  # expect: FIT401
        return image, label


train_transform = A.Compose([
    A.PadIfNeeded(min_height=36, min_width=36),
    A.RandomCrop(width=32, height=32),
    A.HorizontalFlip(p=0.5),
    A.CoarseDropout(max_holes=1, max_height=8, max_width=8, fill_value=0, p=0.5),
    ToTensorV2(),
])
test_transform = A.Compose([ToTensorV2()])
train_set = Cifar10SearchDataset("./data", train=True, download=True, transform=train_transform)
test_set = Cifar10SearchDataset("./data", train=False, download=True, transform=test_transform)
train_loader = DataLoader(train_set, batch_size=512, shuffle=True)
test_loader = DataLoader(test_set, batch_size=512)

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
for epoch in range(20):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        F.cross_entropy(model(images), labels).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (model(images).argmax(1) == labels).sum().item()
    print(epoch, correct / len(test_set))
