# The twin: the same configuration class with a batch size of 16 for the batch-norm network.
import os

import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class Config:
    root = "data/aptos"
    image_size = 384
    batch_size = 16
    workers = 4
    lr = 3e-4
    epochs = 12
    num_classes = 5


class FundusDataset(Dataset):
    def __init__(self, frame, image_dir, transform):
        self.frame, self.image_dir, self.transform = frame.reset_index(drop=True), image_dir, transform

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, i):
        row = self.frame.iloc[i]
        image = Image.open(os.path.join(self.image_dir, f"{row.id_code}.png")).convert("RGB")
        return self.transform(image), int(row.diagnosis)


def main(cfg=Config):
    norm = transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
    train_tf = transforms.Compose([transforms.RandomResizedCrop(cfg.image_size), transforms.RandomHorizontalFlip(),
                                   transforms.ToTensor(), norm])
    val_tf = transforms.Compose([transforms.Resize((cfg.image_size, cfg.image_size)), transforms.ToTensor(), norm])
    frame = pd.read_csv(os.path.join(cfg.root, "train.csv")).sample(frac=1.0, random_state=0)
    n_val = len(frame) // 5
    val_df, train_df = frame.iloc[:n_val], frame.iloc[n_val:]
    image_dir = os.path.join(cfg.root, "train_images")
    train_loader = DataLoader(FundusDataset(train_df, image_dir, train_tf), batch_size=cfg.batch_size,
                              shuffle=True, num_workers=cfg.workers)
    val_loader = DataLoader(FundusDataset(val_df, image_dir, val_tf), batch_size=8, num_workers=cfg.workers)
    model = nn.Sequential(nn.Conv2d(3, 32, 3, stride=2), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                          nn.Flatten(), nn.Dropout(0.3), nn.Linear(32, cfg.num_classes))
    optimizer = torch.optim.AdamW(model.parameters(), lr=cfg.lr, weight_decay=1e-2)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(cfg.epochs):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader)
        print(epoch, correct / len(val_df))


if __name__ == "__main__":
    main()
