"""Two photo folders joined with ConcatDataset, both built with the augmenting training transform,
then split with random_split: the validation part shares the members' transform, so it is
evaluated on randomly rotated, flipped crops."""
import torch
import torch.nn as nn
from torch.utils.data import ConcatDataset, DataLoader, random_split
from torchvision import datasets, models, transforms

common_transform = transforms.Compose([
    transforms.RandomResizedCrop(224),
    transforms.RandomHorizontalFlip(),
    transforms.RandomRotation(15),
    transforms.ToTensor(),
    transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225]),
])
phone_photos = datasets.ImageFolder("data/phone", transform=common_transform)
camera_photos = datasets.ImageFolder("data/camera", transform=common_transform)
full_dataset = ConcatDataset([phone_photos, camera_photos])
n_val = len(full_dataset) // 5
train_dataset, val_dataset = random_split(full_dataset, [len(full_dataset) - n_val, n_val])  # expect: FIT402
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
