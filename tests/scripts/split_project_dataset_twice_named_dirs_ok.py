"""The same script with the folders of each split named at the top (the validation slices have a
folder of their own): two constructions of one class over different folders are different data."""
import os

import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader

from dataset import ProstateDataset
from modules import UNet

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = UNet().to(device)
criterion = nn.BCEWithLogitsLoss()
optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)

image_dir = "data/keras_slices_train"
mask_dir = "data/keras_slices_seg_train"
val_image_dir = "data/keras_slices_validate"
val_mask_dir = "data/keras_slices_seg_validate"
print(len(os.listdir(image_dir)), "training slices")

train_dataset = ProstateDataset(image_dir, mask_dir)
val_dataset = ProstateDataset(val_image_dir, val_mask_dir)
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
