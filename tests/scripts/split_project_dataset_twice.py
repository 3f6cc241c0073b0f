"""The project's own dataset class, imported from a module not in view, built twice over the same
folder and annotations, once per transform: the validation loader walks the training samples
(FIT603)."""
import torch
from torch.utils.data import DataLoader
from torchvision import models, transforms

from data.dataset import DefectDataset

train_tf = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.ToTensor()])
val_tf = transforms.Compose([transforms.ToTensor()])
train_dataset = DefectDataset("data/raw", annotations="data/labels.csv", transform=train_tf)
val_dataset = DefectDataset("data/raw", annotations="data/labels.csv", transform=val_tf)  # expect: FIT603
train_loader = DataLoader(train_dataset, batch_size=16, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=16)
model = models.resnet18(num_classes=2)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        torch.nn.functional.cross_entropy(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = sum((model(x).argmax(1) == y).float().mean().item() for x, y in val_loader) / len(val_loader)
