"""Chest X-ray pneumonia, images preloaded with OpenCV by a helper that returns them with their
labels; the caller casts them to float for a TensorDataset and never scales them."""
import glob
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

CLASSES = ["NORMAL", "PNEUMONIA"]


def load_images(folder, size=150):
    images, labels = [], []
    for label, cls in enumerate(CLASSES):
        for path in sorted(glob.glob(os.path.join(folder, cls, "*.jpeg"))):
            img = cv2.imread(path, cv2.IMREAD_GRAYSCALE)
            images.append(cv2.resize(img, (size, size)))
            labels.append(label)
    return np.stack(images), np.array(labels)


def to_tensors(x, y):
    x_t = torch.tensor(x, dtype=torch.float32).unsqueeze(1)  # expect: FIT401
    return TensorDataset(x_t, torch.tensor(y, dtype=torch.long))


X, y = load_images("chest_xray/train")
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.2, stratify=y, random_state=0)
train_loader = DataLoader(to_tensors(X_train, y_train), batch_size=32, shuffle=True)
val_loader = DataLoader(to_tensors(X_val, y_val), batch_size=64)

model = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(32, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader)
    print(epoch, correct / len(y_val))
