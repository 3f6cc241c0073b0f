import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

EPOCHS = 24
tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
train_loader = DataLoader(datasets.CIFAR10("data", train=True, download=True, transform=tf), batch_size=128, shuffle=True)
model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, 10))
criterion = nn.CrossEntropyLoss()
optimizer = optim.SGD(model.parameters(), lr=0.003, momentum=0.95, nesterov=True, weight_decay=1e-6)
scheduler = optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.003, total_steps=EPOCHS * len(train_loader),
                                          steps_per_epoch=len(train_loader), epochs=EPOCHS, pct_start=0.2)
for epoch in range(EPOCHS):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    scheduler.step()  # expect: FIT002
