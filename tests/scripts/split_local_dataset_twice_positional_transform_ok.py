"""The signature-verification script drawing its validation pairs from the writers of its own
folder: two constructions of one class over different roots are different data."""
import os
import random

import torch
import torch.nn as nn
from PIL import Image
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

train_tf = transforms.Compose([transforms.RandomRotation(5), transforms.Resize((155, 220)), transforms.ToTensor()])
eval_tf = transforms.Compose([transforms.Resize((155, 220)), transforms.ToTensor()])


class SignaturePairs(Dataset):
    def __init__(self, root, transform):
        self.transform = transform
        self.writers = {w: sorted(os.listdir(os.path.join(root, w))) for w in sorted(os.listdir(root))}
        self.root = root
        self.pairs = []
        for writer, files in self.writers.items():
            for _ in range(20):
                other = random.choice(list(self.writers))
                self.pairs.append((writer, random.choice(files), other, random.choice(self.writers[other])))

    def __len__(self):
        return len(self.pairs)

    def __getitem__(self, i):
        w1, f1, w2, f2 = self.pairs[i]
        a = self.transform(Image.open(os.path.join(self.root, w1, f1)).convert("L"))
        b = self.transform(Image.open(os.path.join(self.root, w2, f2)).convert("L"))
        return a, b, torch.tensor(float(w1 == w2))


train_pairs = SignaturePairs("data/signatures/train", train_tf)
val_pairs = SignaturePairs("data/signatures/val", eval_tf)
train_loader = DataLoader(train_pairs, batch_size=32, shuffle=True)
val_loader = DataLoader(val_pairs, batch_size=128)
encoder = nn.Sequential(nn.Conv2d(1, 16, 5), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(8), nn.Flatten(),
                        nn.Dropout(0.3), nn.Linear(16 * 64, 128))
optimizer = torch.optim.Adam(encoder.parameters(), lr=1e-4, weight_decay=1e-5)
criterion = nn.BCEWithLogitsLoss()
for epoch in range(20):
    encoder.train()
    for a, b, same in train_loader:
        optimizer.zero_grad()
        criterion(-(encoder(a) - encoder(b)).norm(dim=1), same).backward()
        optimizer.step()
    encoder.eval()
    with torch.no_grad():
        val_loss = sum(criterion(-(encoder(a) - encoder(b)).norm(dim=1), same).item() for a, b, same in val_loader)
    print(epoch, val_loss / len(val_loader))
