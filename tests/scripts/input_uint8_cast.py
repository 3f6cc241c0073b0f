"""Images read as uint8 (PIL / OpenCV) and cast to float without dividing by 255: the model sees
pixel values in 0..255 and training is unstable."""
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset, TensorDataset


class FolderDataset(Dataset):
    """One sub-folder per class, read with OpenCV."""

    def __init__(self, root):
        self.files = sorted(glob.glob(os.path.join(root, "*", "*.png")))
        classes = sorted({os.path.basename(os.path.dirname(f)) for f in self.files})
        self.labels = [classes.index(os.path.basename(os.path.dirname(f))) for f in self.files]

    def __len__(self):
        return len(self.files)

    def __getitem__(self, index):
        image = cv2.imread(self.files[index])
        image = cv2.cvtColor(image, cv2.COLOR_BGR2RGB)
        image = cv2.resize(image, (64, 64))
        tensor = torch.from_numpy(image).permute(2, 0, 1).float()  # FIT401
        label = torch.tensor(self.labels[index], dtype=torch.float32)
        return tensor, label


def load_test_arrays(root):
    paths = sorted(glob.glob(os.path.join(root, "*.png")))
    images = np.stack([np.array(Image.open(p).convert("RGB").resize((64, 64))) for p in paths])
    labels = np.load(os.path.join(root, "labels.npy"))
    x = torch.tensor(images, dtype=torch.float32).permute(0, 3, 1, 2)  # FIT401
    y = torch.from_numpy(labels).float()
    return TensorDataset(x, y)


class SmallNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 16, 3, padding=1),
            nn.ReLU(),
            nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1),
            nn.ReLU(),
            nn.AdaptiveAvgPool2d(1),
        )
        self.fc = nn.Linear(32, 1)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1)).squeeze(1)


def main():
    device = "cuda" if torch.cuda.is_available() else "cpu"
    train_loader = DataLoader(FolderDataset("data/train"), batch_size=32, shuffle=True)
    test_loader = DataLoader(load_test_arrays("data/test"), batch_size=64)
    model = SmallNet().to(device)
    criterion = nn.BCEWithLogitsLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)  # FIT602
    for epoch in range(10):
        model.train()
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for images, labels in test_loader:
                logits = model(images.to(device))
                correct += ((logits > 0).float().cpu() == labels).sum().item()
        print(epoch, correct / len(test_loader.dataset))


if __name__ == "__main__":
    main()
