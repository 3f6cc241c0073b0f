import torch
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

MEAN, STD = (0.1307,), (0.3081,)
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])


def get_loaders(root, batch_size):
    full = datasets.MNIST(root, train=True, download=True, transform=transform)
    train_set, val_set = random_split(full, [55000, 5000], generator=torch.Generator().manual_seed(0))
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=1000)
    return train_loader, val_loader
