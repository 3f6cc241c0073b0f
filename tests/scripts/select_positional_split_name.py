"""A point-cloud classifier whose dataset class takes the split's name by position: the loader
called `val_loader` is built over `ModelNet(root, "test", ...)`, the test split, and the best
checkpoint is kept on its accuracy (FIT601)."""
import argparse
import os

import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, Dataset


class ModelNet(Dataset):
    def __init__(self, root, dtype, transform=None):
        self.data = np.load(os.path.join(root, "pc_" + dtype + ".npy"))
        self.label = np.load(os.path.join(root, "label_" + dtype + ".npy"))
        self.transform = transform

    def __len__(self):
        return len(self.label)

    def __getitem__(self, index):
        points = self.data[index]
        if self.transform is not None:
            points = self.transform(points)
        return torch.from_numpy(points).float(), int(self.label[index])


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--dset_dir", default="data/modelnet40")
    parser.add_argument("--log_dir", default="logs")
    args = parser.parse_args()
    train_dataset = ModelNet(args.dset_dir, "train")
    val_dataset = ModelNet(args.dset_dir, "test")
    train_loader = DataLoader(train_dataset, batch_size=32, shuffle=True)
    val_loader = DataLoader(val_dataset, batch_size=32)
    net = nn.Sequential(nn.Flatten(), nn.Linear(1024 * 3, 256), nn.BatchNorm1d(256), nn.ReLU(), nn.Dropout(0.3),
                        nn.Linear(256, 40))
    optimizer = torch.optim.Adam(net.parameters(), lr=1e-3, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    best_acc = 0.0
    for epoch in range(100):
        net.train()
        for points, label in train_loader:
            optimizer.zero_grad()
            criterion(net(points), label).backward()
            optimizer.step()
        net.eval()
        correct = 0
        with torch.no_grad():
            for points, label in val_loader:
                correct += (net(points).argmax(1) == label).sum().item()
        acc = correct / len(val_dataset)
        if acc > best_acc:  # expect: FIT601
            best_acc = acc
            torch.save(net.state_dict(), os.path.join(args.log_dir, "best.pth.tar"))


if __name__ == "__main__":
    main()
