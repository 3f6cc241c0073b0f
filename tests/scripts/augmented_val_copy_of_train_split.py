"""CIFAR-10 with a validation part carved from the training split, the standard way: two copies of
the training set (one per transform) indexed by one seeded permutation. The validation copy was
built with the training transform, so validation images are randomly cropped and flipped."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, models, transforms

norm = transforms.Normalize((0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616))
train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor(), norm])
eval_tf = transforms.Compose([transforms.ToTensor(), norm])

train_full = datasets.CIFAR10("./data", train=True, download=True, transform=train_tf)
val_full = datasets.CIFAR10("./data", train=True, transform=train_tf)  # expect: FIT402
perm = torch.randperm(50000, generator=torch.Generator().manual_seed(1)).tolist()
train_loader = DataLoader(Subset(train_full, perm[5000:]), batch_size=128, shuffle=True, num_workers=4)
val_loader = DataLoader(Subset(val_full, perm[:5000]), batch_size=500, num_workers=4)

model = models.resnet18(num_classes=10)
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
    print(epoch, correct / 5000)
