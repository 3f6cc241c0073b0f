# Leaf disease datasets built in a loop over (split, frame) pairs: every split, the validation one
# included, gets the training augmentation.
import pandas as pd
import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms


class LeafDataset(Dataset):
    def __init__(self, frame, transforms=None):
        self.frame, self.transforms = frame.reset_index(drop=True), transforms

    def __len__(self):
        return len(self.frame)

    def __getitem__(self, i):
        row = self.frame.iloc[i]
        return self.transforms(Image.open(row.path).convert("RGB")), int(row.label)


frame = pd.read_csv("leaves.csv").sample(frac=1.0, random_state=42)
trn_df, val_df = frame.iloc[:4000], frame.iloc[4000:]
train_aug = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                transforms.ToTensor()])
valid_aug = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
datasets = {}
for split, part in (("train", trn_df), ("valid", val_df)):
    datasets[split] = LeafDataset(part, transforms=train_aug)  # expect: FIT402
train_loader = DataLoader(datasets["train"], batch_size=32, shuffle=True)
valid_loader = DataLoader(datasets["valid"], batch_size=64)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, 5))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        print(epoch, sum((model(x).argmax(1) == y).sum().item() for x, y in valid_loader))
