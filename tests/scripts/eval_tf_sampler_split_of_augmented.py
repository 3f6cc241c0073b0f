"""The course template for a validation split: shuffle the indices of the training set, keep 20%
for validation and load each part with a `SubsetRandomSampler`. Both loaders draw from the one
`train_data` object, whose transform flips and crops at random, so the validation images are
augmented too (FIT402)."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torch.utils.data.sampler import SubsetRandomSampler
from torchvision import datasets, transforms

train_transform = transforms.Compose([transforms.RandomHorizontalFlip(), transforms.RandomCrop(32, padding=4),
                                      transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
test_transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
train_data = datasets.CIFAR10("data", train=True, download=True, transform=train_transform)
test_data = datasets.CIFAR10("data", train=False, download=True, transform=test_transform)

valid_size = 0.2
indices = list(range(len(train_data)))
np.random.shuffle(indices)
split = int(np.floor(valid_size * len(train_data)))
train_idx, valid_idx = indices[split:], indices[:split]
train_sampler = SubsetRandomSampler(train_idx)
valid_sampler = SubsetRandomSampler(valid_idx)
train_loader = DataLoader(train_data, batch_size=20, sampler=train_sampler)
valid_loader = DataLoader(train_data, batch_size=20, sampler=valid_sampler)  # expect: FIT402
test_loader = DataLoader(test_data, batch_size=20)

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.25),
                      nn.Linear(16 * 16 * 16, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
valid_loss_min = np.inf
for epoch in range(30):
    model.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(data), target)
        loss.backward()
        optimizer.step()
    model.eval()
    valid_loss = 0.0
    with torch.no_grad():
        for data, target in valid_loader:
            valid_loss += criterion(model(data), target).item() * data.size(0)
    valid_loss /= len(valid_loader.sampler)
    if valid_loss <= valid_loss_min:
        torch.save(model.state_dict(), "model_cifar.pt")
        valid_loss_min = valid_loss
