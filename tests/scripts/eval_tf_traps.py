"""Correct evaluation transforms that a naive FIT402 would flag: augmentation only in the training
transform, a dataset factory that picks the transform by split, a validation subset that gets the
evaluation transform (deepcopy and reassign, or a wrapper dataset), validation indices over a second
dataset object, the per-split transform dict of the transfer-learning tutorial, a custom random
crop class used only for training, and test-time augmentation averaged on purpose.
"""
import copy
import os
import random

import torch
import torch.nn as nn
import torch.optim as optim
import torchvision
from torch.utils.data import DataLoader, Dataset, Subset, random_split
from torchvision import datasets, transforms

MEAN, STD = (0.4914, 0.4822, 0.4465), (0.2470, 0.2435, 0.2616)
transform_train = transforms.Compose([
    transforms.RandomCrop(32, padding=4),
    transforms.RandomHorizontalFlip(),
    transforms.ToTensor(),
    transforms.Normalize(MEAN, STD),
])
transform_test = transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)])


def cifar(train):
    transform = transform_train if train else transform_test
    return datasets.CIFAR10("./data", train=train, download=True, transform=transform)


class RandomSquareCrop:
    """Crops a random square: used for training only."""

    def __init__(self, size):
        self.size = size

    def __call__(self, image):
        w, h = image.size
        left, top = random.randint(0, w - self.size), random.randint(0, h - self.size)
        return image.crop((left, top, left + self.size, top + self.size))


class WithTransform(Dataset):
    """Applies its own transform to the samples of a subset."""

    def __init__(self, subset, transform):
        self.subset = subset
        self.transform = transform

    def __len__(self):
        return len(self.subset)

    def __getitem__(self, index):
        image, label = self.subset[index]
        return self.transform(image), label


def folder_splits(root):
    train_tf = transforms.Compose([RandomSquareCrop(200), transforms.Resize(224), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor()])
    eval_tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()])
    # the validation subset given the evaluation transform on a deep copy
    full = datasets.ImageFolder(os.path.join(root, "images"), transform=train_tf)
    train_set, val_set = random_split(full, [0.9, 0.1])
    val_set.dataset = copy.deepcopy(full)
    val_set.dataset.transform = eval_tf
    # a wrapper applying each split's transform to a plain dataset
    plain = datasets.ImageFolder(os.path.join(root, "images"))
    train_part, val_part = random_split(plain, [0.9, 0.1])
    wrapped_train = WithTransform(train_part, train_tf)
    wrapped_val = WithTransform(val_part, eval_tf)
    # validation indices over a second dataset object with the evaluation transform
    indices = torch.randperm(len(full)).tolist()
    train_view = Subset(datasets.ImageFolder(os.path.join(root, "images"), transform=train_tf), indices[500:])
    val_view = Subset(datasets.ImageFolder(os.path.join(root, "images"), transform=eval_tf), indices[:500])
    return [
        (DataLoader(train_set, batch_size=32, shuffle=True), DataLoader(val_set, batch_size=64)),
        (DataLoader(wrapped_train, batch_size=32, shuffle=True), DataLoader(wrapped_val, batch_size=64)),
        (DataLoader(train_view, batch_size=32, shuffle=True), DataLoader(val_view, batch_size=64)),
    ]


def tutorial_datasets(data_dir):
    data_transforms = {
        "train": transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                     transforms.ToTensor()]),
        "val": transforms.Compose([transforms.Resize(256), transforms.CenterCrop(224), transforms.ToTensor()]),
    }
    return {x: datasets.ImageFolder(os.path.join(data_dir, x), data_transforms[x]) for x in ["train", "val"]}


def predict_tta(model, device):
    """Test-time augmentation: the probabilities averaged over a plain and a mirrored view."""
    views = [
        transforms.Compose([transforms.ToTensor(), transforms.Normalize(MEAN, STD)]),
        transforms.Compose([transforms.RandomHorizontalFlip(p=1.0), transforms.ToTensor(),
                            transforms.Normalize(MEAN, STD)]),
    ]
    model.eval()
    probs = 0
    for view in views:
        test_ds = datasets.CIFAR10("./data", train=False, transform=view)
        batches = []
        with torch.no_grad():
            for images, _ in DataLoader(test_ds, batch_size=500):
                batches.append(model(images.to(device)).softmax(1))
        probs = probs + torch.cat(batches)
    return probs / len(views)


def main(epochs=30):
    device = "cuda" if torch.cuda.is_available() else "cpu"
    trainset, testset = cifar(True), cifar(False)
    train_loader = DataLoader(trainset, batch_size=128, shuffle=True, num_workers=2)
    test_loader = DataLoader(testset, batch_size=500, num_workers=2)
    model = torchvision.models.resnet18(num_classes=10).to(device)
    criterion = nn.CrossEntropyLoss()
    optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
    scheduler = optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=epochs)
    for epoch in range(epochs):
        model.train()
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            criterion(model(images), labels).backward()
            optimizer.step()
        scheduler.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:
            correct += (model(images.to(device)).argmax(1) == labels.to(device)).sum().item()
    print(f"test accuracy {correct / len(testset):.4f}")
    labels = torch.tensor(testset.targets, device=device)
    print(f"with TTA {(predict_tta(model, device).argmax(1) == labels).float().mean():.4f}")


if __name__ == "__main__":
    main()
