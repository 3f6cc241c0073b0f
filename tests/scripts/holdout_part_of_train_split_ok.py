"""CIFAR-10 with early stopping on a held-out part of the published training split, called
`holdout`: two copies of the training split (augmented and plain) share one permutation, the
first 5000 images of the plain copy choose the checkpoint, and the test split is read once at the
end. Correct, whatever the held-out part is called."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
plain_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])

augmented = datasets.CIFAR10("./data", train=True, download=True, transform=train_tf)
plain = datasets.CIFAR10("./data", train=True, download=True, transform=plain_tf)
order = torch.randperm(len(augmented), generator=torch.Generator().manual_seed(0)).tolist()
train_part = Subset(augmented, order[5000:])
holdout = Subset(plain, order[:5000])
train_loader = DataLoader(train_part, batch_size=128, shuffle=True)
holdout_loader = DataLoader(holdout, batch_size=512)
test_loader = DataLoader(datasets.CIFAR10("./data", train=False, transform=plain_tf), batch_size=512)

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Dropout(0.3), nn.Linear(32, 10))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=5e-4)
criterion = nn.CrossEntropyLoss()


def accuracy(loader):
    model.eval()
    correct = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
    return correct / len(loader.dataset)


best, waited = 0.0, 0
for epoch in range(100):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    holdout_acc = accuracy(holdout_loader)
    if holdout_acc > best:
        best, waited = holdout_acc, 0
        torch.save(model.state_dict(), "best.pt")
    else:
        waited += 1
        if waited >= 10:
            break
model.load_state_dict(torch.load("best.pt"))
print(f"test accuracy {accuracy(test_loader):.4f}")
