"""CIFAR-100 with the validation part held out of the training set: two copies of the official
training split (one augmented, one plain) are indexed by one permutation, and the loaders are
returned as a dict keyed by split. The training entry shuffles."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, transforms

SETUP = {"root": "data", "n_val": 5000, "bs": 128, "epochs": 30, "lr": 0.05, "seed": 0}
MEAN, STD = (0.507, 0.487, 0.441), (0.267, 0.256, 0.276)


def get_loaders(s):
    train_tf = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    test_tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])
    aug_train = datasets.CIFAR100(s["root"], train=True, download=True, transform=train_tf)
    plain_train = datasets.CIFAR100(s["root"], train=True, download=True, transform=test_tf)
    perm = torch.randperm(len(aug_train), generator=torch.Generator().manual_seed(s["seed"])).tolist()
    loaders = {
        "train": DataLoader(Subset(aug_train, perm[s["n_val"]:]), batch_size=s["bs"], shuffle=True,
                            num_workers=4, drop_last=True),
        "val": DataLoader(Subset(plain_train, perm[:s["n_val"]]), batch_size=500, num_workers=4),
    }
    return loaders


@torch.no_grad()
def accuracy(model, loader):
    model.eval()
    correct = sum((model(x).argmax(1) == y).sum().item() for x, y in loader)
    return correct / len(loader.dataset)


def main():
    loaders = get_loaders(SETUP)
    model = nn.Sequential(nn.Conv2d(3, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Linear(64, 100))
    opt = torch.optim.SGD(model.parameters(), lr=SETUP["lr"], momentum=0.9, weight_decay=5e-4)
    crit = nn.CrossEntropyLoss()
    best = 0.0
    for epoch in range(SETUP["epochs"]):
        model.train()
        for x, y in loaders["train"]:
            opt.zero_grad()
            crit(model(x), y).backward()
            opt.step()
        val_acc = accuracy(model, loaders["val"])
        if val_acc > best:
            best = val_acc
            torch.save(model.state_dict(), "best.pt")


if __name__ == "__main__":
    main()
