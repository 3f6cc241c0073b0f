"""The same point-cloud classifier choosing its checkpoint on `ModelNet(root, "val")`, the
validation split named by position, and scoring `ModelNet(root, "test")` once at the end."""
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
    val_dataset = ModelNet(args.dset_dir, "val")
    test_loader = DataLoader(ModelNet(args.dset_dir, "test"), batch_size=32)
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
        if acc > best_acc:
            best_acc = acc
            torch.save(net.state_dict(), os.path.join(args.log_dir, "best.pth.tar"))
    net.load_state_dict(torch.load(os.path.join(args.log_dir, "best.pth.tar")))
    net.eval()
    with torch.no_grad():
        print(sum((net(p).argmax(1) == y).sum().item() for p, y in test_loader))


if __name__ == "__main__":
    main()
