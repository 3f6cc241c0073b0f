"""Flower photos read with OpenCV into one uint8 array, Kaggle-notebook style: the array is cast to
float32 (channels first) before `train_test_split`, and nothing divides it by 255, so both parts
reach the CNN in 0..255."""
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader, TensorDataset

BASE, IMG_SIZE = "../input/flowers", 96
images, labels = [], []
for label, cls in enumerate(sorted(os.listdir(BASE))):
    for fname in os.listdir(os.path.join(BASE, cls)):
        img = cv2.cvtColor(cv2.imread(os.path.join(BASE, cls, fname)), cv2.COLOR_BGR2RGB)
        images.append(cv2.resize(img, (IMG_SIZE, IMG_SIZE)))
        labels.append(label)
images, labels = np.array(images), np.array(labels)

X = images.astype(np.float32).transpose(0, 3, 1, 2)  # expect: FIT401
y = labels.astype(np.int64)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.15, stratify=y, random_state=1)
train_loader = DataLoader(TensorDataset(torch.from_numpy(X_train), torch.from_numpy(y_train)), batch_size=64, shuffle=True)
val_loader = DataLoader(TensorDataset(torch.from_numpy(X_val), torch.from_numpy(y_val)), batch_size=256)

model = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
                      nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Dropout(0.3), nn.Linear(64, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        acc = sum((model(xb).argmax(1) == yb).sum().item() for xb, yb in val_loader) / len(y_val)
    print(epoch, acc)
