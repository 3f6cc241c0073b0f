"""A U-Net repository's train.py: the held-out loader is called test_loader, but the project dataset
it wraps is built with data_type='validate' (the validation images): keeping the best IoU on it is
ordinary validation-based selection."""
import argparse

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader

from celldata import CellDataset
from model import UNet


def get_train_loader(batch_size):
    train_data = CellDataset(root="data", data_type="train", augment=True)
    return DataLoader(train_data, batch_size=batch_size, shuffle=True, num_workers=4)


def get_test_loader(batch_size):
    test_data = CellDataset(root="data", data_type="validate", augment=False)
    test_loader = DataLoader(test_data, batch_size=batch_size, shuffle=False)
    return test_loader


def train(model, device, loader, optimizer, criterion):
    model.train()
    for image, mask in loader:
        image, mask = image.to(device), mask.to(device)
        optimizer.zero_grad()
        loss = criterion(model(image), mask)
        loss.backward()
        optimizer.step()


@torch.no_grad()
def test(model, device, loader, criterion):
    model.eval()
    ious = []
    for image, mask in loader:
        image, mask = image.to(device), mask.to(device)
        pred = model(image).argmax(1)
        inter = ((pred == 1) & (mask == 1)).sum().item()
        union = ((pred == 1) | (mask == 1)).sum().item()
        ious.append(inter / max(union, 1))
    return sum(ious) / len(ious)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--lr", type=float, default=1e-3)
    args = parser.parse_args()
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    model = UNet(n_classes=2).to(device)
    optimizer = optim.Adam(model.parameters(), lr=args.lr, weight_decay=1e-5)
    criterion = nn.CrossEntropyLoss()
    train_loader = get_train_loader(8)
    test_loader = get_test_loader(8)
    best_iou = 0.0
    for epoch in range(args.epochs):
        train(model, device, train_loader, optimizer, criterion)
        test_iou = test(model, device, test_loader, criterion)
        if test_iou > best_iou:
            best_iou = test_iou
            torch.save(model.state_dict(), "best_unet.pth")


if __name__ == "__main__":
    main()
