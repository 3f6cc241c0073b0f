"""Road-marking segmentation with a U-Net on frames of a driving simulator, stored in the order
they were recorded. One progress-bar name serves both passes of the epoch
(`batch_iter = tqdm(train_loader)`, later `batch_iter = tqdm(val_loader)`): each loop walks the
bar bound just before it in the same epoch, so the first loop is the training pass."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from tqdm import tqdm

from dataset import FrameDataset
from unet import UNet

train_set = FrameDataset("data/dataA", split="train")
val_set = FrameDataset("data/dataB", split="val")
train_loader = DataLoader(train_set, batch_size=16, num_workers=2)  # expect: FIT101
val_loader = DataLoader(val_set, batch_size=16, num_workers=2)

model = UNet(n_classes=1)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4)

for epoch in range(50):
    model.train()
    batch_iter = tqdm(train_loader, leave=False, desc="train")
    for img, mask in batch_iter:
        loss = criterion(model(img), mask)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        batch_iter.set_postfix(loss=loss.item())

    model.eval()
    total = 0.0
    batch_iter = tqdm(val_loader, leave=False, desc="val")
    for img, mask in batch_iter:  # expect: FIT202
        total += criterion(model(img), mask).item()
    print(f"epoch {epoch}: val loss {total / len(val_loader):.4f}")
