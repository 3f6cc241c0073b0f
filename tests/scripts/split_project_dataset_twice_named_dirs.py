"""A student's segmentation script: the image and mask folders are named once at the top, then the
project's dataset class is built twice over them, and the train_test_split of the file lists is
never used: the validation loader walks the training slices (FIT603)."""
import os

import torch
import torch.nn as nn
import torch.optim as optim
from sklearn.model_selection import train_test_split
from torch.utils.data import DataLoader

from dataset import ProstateDataset
from modules import UNet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = UNet().to(device)
criterion = nn.BCEWithLogitsLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)

image_dir = "data/keras_slices_train"
mask_dir = "data/keras_slices_seg_train"
image_paths = sorted(f for f in os.listdir(image_dir) if f.endswith(".nii.gz"))
mask_paths = sorted(f for f in os.listdir(mask_dir) if f.endswith(".nii.gz"))
train_images, val_images, train_masks, val_masks = train_test_split(image_paths, mask_paths, test_size=0.15)

train_dataset = ProstateDataset(image_dir, mask_dir)
val_dataset = ProstateDataset(image_dir, mask_dir)  # expect: FIT603
train_loader = DataLoader(train_dataset, batch_size=16, shuffle=True)
val_loader = DataLoader(val_dataset, batch_size=16)

for epoch in range(30):
    model.train()
    for images, masks in train_loader:
        images, masks = images.to(device), masks.to(device)
        optimizer.zero_grad()
        loss = criterion(model(images), masks)
        loss.backward()
        optimizer.step()
    model.eval()
    val_loss = 0.0
    with torch.no_grad():
        for images, masks in val_loader:
            val_loss += criterion(model(images.to(device)), masks.to(device)).item()
    print(f"epoch {epoch + 1}: validation loss {val_loss / len(val_loader):.4f}")
