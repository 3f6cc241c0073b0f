import torch
import torch.nn as nn
import torchvision.transforms as transforms
from torchvision import datasets

DATASETS = ["CIFAR-10"]


def get_dataset(name, root="./data"):
    """Return the train and test sets of a dataset."""
    if name not in DATASETS:
        raise NotImplementedError(f"Dataset not found: {name}")
    transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
    train = datasets.CIFAR10(root=root, train=True, download=True, transform=transform)
    test = datasets.CIFAR10(root=root, train=True, download=True, transform=transform)  # expect: FIT603
    return train, test


train_set, test_set = get_dataset("CIFAR-10")
train_loader = torch.utils.data.DataLoader(train_set, batch_size=64, shuffle=True, num_workers=2)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=256, shuffle=False, num_workers=2)

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Flatten(), nn.Linear(32 * 16 * 16, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for images, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()

correct = total = 0
with torch.no_grad():
    for images, labels in test_loader:
        correct += (model(images).argmax(1) == labels).sum().item()
        total += labels.size(0)
print(f"test accuracy: {100 * correct / total:.2f}%")
