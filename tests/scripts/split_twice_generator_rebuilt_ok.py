import torch
import torch.nn as nn
import torchvision.transforms as T
from torch.utils.data import DataLoader, random_split
from torchvision import datasets

stats = ((0.5071, 0.4865, 0.4409), (0.2673, 0.2564, 0.2762))
train_tf = T.Compose([T.RandomCrop(32, 4), T.RandomHorizontalFlip(), T.ToTensor(), T.Normalize(*stats)])
eval_tf = T.Compose([T.ToTensor(), T.Normalize(*stats)])
g = torch.Generator().manual_seed(0)
train_set, _ = random_split(datasets.CIFAR100("data", train=True, download=True, transform=train_tf), [45000, 5000],
                            generator=g)
g = torch.Generator().manual_seed(0)  # the same seed again: the same permutation, matching parts
_, val_set = random_split(datasets.CIFAR100("data", train=True, download=True, transform=eval_tf), [45000, 5000],
                          generator=g)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True, num_workers=4)
val_loader = DataLoader(val_set, batch_size=256, num_workers=4)

model = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(64, 100))
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
    print(epoch, correct / len(val_set))
