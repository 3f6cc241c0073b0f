"""The twin: the training loader shuffles and the validation pass runs under `no_grad`. The
progress-bar name is rebound for each pass of the epoch, and inside the validation branch a
third bar over the training loader reports training loss: each loop still walks the bar bound
last before it."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from tqdm import tqdm

from dataset import FrameDataset
from unet import UNet

train_set = FrameDataset("data/dataA", split="train")
val_set = FrameDataset("data/dataB", split="val")
train_loader = DataLoader(train_set, batch_size=16, shuffle=True, num_workers=2)
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
    with torch.no_grad():
        for img, mask in batch_iter:
            total += criterion(model(img), mask).item()
        if epoch % 10 == 0:
            batch_iter = tqdm(train_loader, leave=False, desc="train loss")
            train_total = sum(criterion(model(img), mask).item() for img, mask in batch_iter)
    print(f"epoch {epoch}: val loss {total / len(val_loader):.4f}")
