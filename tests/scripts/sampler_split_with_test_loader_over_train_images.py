"""A Fashion-MNIST data module: training and validation draw disjoint indices of the training
images through samplers, but the test loader is built over the training images too (train=True)
with no sampler, so the reported test accuracy is measured on the images the model trained on."""
import numpy as np
import torchvision
from torch.utils.data import DataLoader, SubsetRandomSampler
from torchvision import transforms

train_transform = transforms.Compose([transforms.RandomCrop(28, padding=4), transforms.RandomHorizontalFlip(), transforms.ToTensor()])
eval_transform = transforms.ToTensor()


def load_data(batch_size, valid_size=0.1):
    train_dataset = torchvision.datasets.FashionMNIST(root="./data", train=True, download=True, transform=train_transform)
    val_dataset = torchvision.datasets.FashionMNIST(root="./data", train=True, download=False, transform=eval_transform)
    test_dataset = torchvision.datasets.FashionMNIST(root="./data", train=True, download=True, transform=eval_transform)  # expect: FIT603

    indices = np.random.permutation(len(train_dataset))
    split = int(np.floor(valid_size * len(train_dataset)))
    train_indices, val_indices = indices[split:], indices[:split]

    train_loader = DataLoader(train_dataset, batch_size=batch_size, sampler=SubsetRandomSampler(train_indices))
    val_loader = DataLoader(val_dataset, batch_size=batch_size, sampler=SubsetRandomSampler(val_indices))
    test_loader = DataLoader(test_dataset, batch_size=batch_size)
    return train_loader, val_loader, test_loader
