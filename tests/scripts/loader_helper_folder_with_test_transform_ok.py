"""Intel scene classification with a loader helper taking a folder and a transform; the
deterministic pipeline is named `test_tf`, and the loader used to keep the best checkpoint
reads the validation folder with it."""
import os

import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


def make_loader(folder, tfm, batch_size, shuffle=False):
    ds = datasets.ImageFolder(folder, transform=tfm)
    return DataLoader(ds, batch_size=batch_size, shuffle=shuffle, num_workers=4)


@torch.no_grad()
def evaluate(model, loader):
    model.eval()
    return sum((model(x).argmax(1) == y).sum().item() for x, y in loader) / len(loader.dataset)


def main(model, root="data/intel", epochs=25):
    norm = transforms.Normalize((0.43, 0.46, 0.45), (0.27, 0.26, 0.29))
    train_tf = transforms.Compose([transforms.RandomResizedCrop(150), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), norm])
    test_tf = transforms.Compose([transforms.Resize((150, 150)), transforms.ToTensor(), norm])
    train_loader = make_loader(os.path.join(root, "seg_train"), train_tf, 64, shuffle=True)
    val_loader = make_loader(os.path.join(root, "seg_val"), test_tf, 128)
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    best = 0.0
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        val_acc = evaluate(model, val_loader)
        if val_acc > best:
            best = val_acc
            torch.save(model.state_dict(), "scenenet.pt")
