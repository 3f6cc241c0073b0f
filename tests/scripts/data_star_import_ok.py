"""The same homework fixed: the training loader shuffles, the scheduler steps per epoch.

Food classification in the style of a widely copied course homework template, which imports
torch's data and scheduler modules with `*`: the names it uses (DataLoader, ConcatDataset,
StepLR) are torch's all the same."""
import torch
import torch.nn as nn
import torchvision.transforms as transforms
from torch.optim.lr_scheduler import *
from torch.utils.data import *
from torchvision.datasets import DatasetFolder
from PIL import Image

train_tfm = transforms.Compose([transforms.Resize((128, 128)), transforms.RandomHorizontalFlip(),
                                transforms.ToTensor()])
test_tfm = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
train_set = DatasetFolder("food-11/training/labeled", loader=lambda x: Image.open(x), extensions="jpg",
                          transform=train_tfm)
valid_set = DatasetFolder("food-11/validation", loader=lambda x: Image.open(x), extensions="jpg",
                          transform=test_tfm)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=2)
valid_loader = DataLoader(valid_set, batch_size=128, num_workers=2)

model = nn.Sequential(
    nn.Conv2d(3, 64, 3, 1, 1), nn.BatchNorm2d(64), nn.ReLU(), nn.MaxPool2d(4),
    nn.Conv2d(64, 128, 3, 1, 1), nn.BatchNorm2d(128), nn.ReLU(), nn.MaxPool2d(4),
    nn.Flatten(), nn.Linear(128 * 8 * 8, 256), nn.ReLU(), nn.Linear(256, 11),
)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.0003, weight_decay=1e-5)
scheduler = StepLR(optimizer, step_size=10, gamma=0.5)

for epoch in range(80):
    model.train()
    for imgs, labels in train_loader:
        loss = criterion(model(imgs), labels)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    scheduler.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for imgs, labels in valid_loader:
            correct += (model(imgs).argmax(dim=-1) == labels).sum().item()
    print(f"epoch {epoch}: valid acc {correct / len(valid_set):.3f}")
