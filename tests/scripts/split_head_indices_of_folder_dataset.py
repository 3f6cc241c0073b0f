"""Flower photos in class folders (ImageFolder lists them sorted by class), split the way the
CIFAR-10 homework template does it: the first 800 positions are the validation part, sampled by
SubsetRandomSampler. The sampler shuffles within each part, but the parts themselves are cut in
stored order, so validation holds the first classes only."""
import torch
import torch.nn as nn
import torchvision
import torchvision.transforms as transforms
from torch.utils.data.sampler import SubsetRandomSampler

transform = transforms.Compose([transforms.Resize((96, 96)), transforms.ToTensor(),
                                transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
trainset = torchvision.datasets.ImageFolder("data/flowers/train", transform=transform)

num_train = len(trainset)
indices = list(range(num_train))
train_idx, valid_idx = indices[800:], indices[:800]  # expect: FIT102
train_loader = torch.utils.data.DataLoader(trainset, batch_size=64, sampler=SubsetRandomSampler(train_idx))
valid_loader = torch.utils.data.DataLoader(trainset, batch_size=64, sampler=SubsetRandomSampler(valid_idx))

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
                      nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.3), nn.Linear(64, 5))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

for epoch in range(20):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for images, labels in valid_loader:
            correct += (model(images).argmax(1) == labels).sum().item()
            total += labels.size(0)
    print(f"epoch {epoch}: valid acc {correct / total:.3f}")
