"""The twin of aug_concat_of_folders_split.py: the folders are joined and split with a
deterministic transform (resize, centre crop); the augmentation-free validation part is measured
on the images as they are. A folder joined in with a transform of unknown value stays unknown."""
import torch
import torch.nn as nn
from torch.utils.data import ConcatDataset, DataLoader, random_split
from torchvision import datasets, models, transforms

from scans import load_scans

common_transform = transforms.Compose([
    transforms.Resize(256),
    transforms.CenterCrop(224),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
phone_photos = datasets.ImageFolder("data/phone", transform=common_transform)
camera_photos = datasets.ImageFolder("data/camera", transform=common_transform)
full_dataset = ConcatDataset([phone_photos, camera_photos])
train_tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor()])
extra = ConcatDataset([datasets.ImageFolder("data/extra", transform=train_tf), load_scans()])
extra_train, extra_val = random_split(extra, [0.8, 0.2])
n_val = len(full_dataset) // 5
train_dataset, val_dataset = random_split(full_dataset, [len(full_dataset) - n_val, n_val])
train_loader = DataLoader(train_dataset, batch_size=32, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=64)

model = models.resnet18(weights=models.ResNet18_Weights.DEFAULT)
model.fc = nn.Linear(model.fc.in_features, 5)
optimizer = torch.optim.AdamW(model.parameters(), lr=3e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in val_loader:
            correct += (model(images).argmax(1) == labels).sum().item()
    print(epoch, correct / len(val_dataset))
