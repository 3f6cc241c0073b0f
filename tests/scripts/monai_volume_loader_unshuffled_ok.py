"""3D brain-mask segmentation with MONAI: each subject's volume (a batch of one) is cut into
sub-volumes that a second loader batches for the model. The subject loader shuffles."""
import monai.transforms as mt
import torch
import torch.nn as nn
import torch.utils.data as td
from monai.data import DataLoader, Dataset

SUBVOXEL_BATCH_SIZE = 16


def patch(volume, size=64):
    return volume.unfold(0, size, size).unfold(1, size, size).unfold(2, size, size).reshape(-1, size, size, size)


def generate_dataloader(train_dicts, val_dicts):
    transforms = mt.Compose([mt.LoadImaged(keys=["image", "mask"]), mt.ScaleIntensityd(keys=["image"]),
                             mt.ToTensord(keys=["image", "mask"])])
    train_loader = DataLoader(Dataset(data=train_dicts, transform=transforms), batch_size=1, shuffle=True)
    val_loader = DataLoader(Dataset(data=val_dicts, transform=transforms), batch_size=1)
    return train_loader, val_loader


def train_epoch(model, loader, optimizer, criterion):
    model.train()
    for data in loader:
        image = data["image"].squeeze(0).squeeze(0)
        mask = data["mask"].squeeze(0).squeeze(0)
        subvoxels = DataLoader(td.TensorDataset(patch(image), patch(mask)), batch_size=SUBVOXEL_BATCH_SIZE, shuffle=True)
        for patched_image, patched_mask in subvoxels:
            optimizer.zero_grad()
            loss = criterion(model(patched_image.unsqueeze(1)), patched_mask.unsqueeze(1).float())
            loss.backward()
            optimizer.step()


def validate(model, loader):
    model.eval()
    scores = []
    with torch.no_grad():
        for data in loader:
            image = data["image"].squeeze(0).squeeze(0)
            train_subvoxel_loader = DataLoader(td.TensorDataset(patch(image)), batch_size=4)
            for (patched_image,) in train_subvoxel_loader:
                scores.append(torch.sigmoid(model(patched_image.unsqueeze(1))).mean().item())
    return sum(scores) / len(scores)


def main(train_dicts, val_dicts):
    train_loader, val_loader = generate_dataloader(train_dicts, val_dicts)
    model = nn.Sequential(nn.Conv3d(1, 16, 3, padding=1), nn.BatchNorm3d(16), nn.ReLU(), nn.Conv3d(16, 1, 1))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
    criterion = nn.BCEWithLogitsLoss()
    for epoch in range(50):
        train_epoch(model, train_loader, optimizer, criterion)
        print(epoch, validate(model, val_loader))
