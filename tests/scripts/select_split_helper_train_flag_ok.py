"""The twin of select_split_helper_train_flag.py: the validation part is carved from the training
split built by the same helper; `build_dataset(root, train=False)` is evaluated once at the end."""
import torch
import torch.nn as nn
import torchvision.transforms as T
from torch.utils.data import DataLoader
from torchvision import datasets, models


def build_dataset(root, train=True):
    if train:
        transform = T.Compose([T.RandomCrop(32, padding=4), T.RandomHorizontalFlip(), T.ToTensor()])
    else:
        transform = T.ToTensor()
    return datasets.CIFAR100(root=root, train=train, transform=transform, download=True)


full_train = build_dataset("data", train=True)
train_dataset, val_dataset = torch.utils.data.random_split(full_train, [45000, 5000])
test_dataset = build_dataset("data", train=False)
train_loader = DataLoader(train_dataset, batch_size=128, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=256)

net = models.resnet18(num_classes=100)
optimizer = torch.optim.SGD(net.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
best_loss = float("inf")
for epoch in range(100):
    net.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        criterion(net(inputs), labels).backward()
        optimizer.step()
    net.eval()
    val_loss = 0.0
    with torch.no_grad():
        for inputs, labels in val_loader:
            val_loss += criterion(net(inputs), labels).item()
    val_loss /= len(val_loader)
    if val_loss < best_loss:
        best_loss = val_loss
        torch.save(net.state_dict(), "best.pth")

net.load_state_dict(torch.load("best.pth"))
net.eval()
correct = 0
with torch.no_grad():
    for inputs, labels in DataLoader(test_dataset, batch_size=256):
        correct += (net(inputs).argmax(1) == labels).sum().item()
print("test accuracy", correct / len(test_dataset))
