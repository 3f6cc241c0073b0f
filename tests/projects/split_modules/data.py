from torch.utils.data import DataLoader
from torchvision import datasets, transforms

MEAN, STD = (0.1307,), (0.3081,)
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])


def get_loaders(root, batch_size):
    train_set = datasets.MNIST(root, train=True, download=True, transform=transform)
    held_out = datasets.MNIST(root, train=False, download=True, transform=transform)
    train_loader = DataLoader(train_set, batch_size=batch_size, shuffle=True)
    val_loader = DataLoader(held_out, batch_size=1000)
    return train_loader, val_loader
