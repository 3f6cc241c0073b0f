import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class CNN(nn.Module):
    def __init__(self, apply_sigmoid: bool = False):
        super().__init__()
        self.apply_sigmoid = apply_sigmoid
        self.conv = nn.Conv2d(3, 32, 3, padding=1)
        self.fc = nn.Linear(32 * 75 * 75, 1)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        x = self.fc(x.flatten(1))
        if self.apply_sigmoid:  # only for direct inference: BCEWithLogitsLoss takes the logits
            x = torch.sigmoid(x)  # expect: FIT302
        return x


tf = transforms.Compose([transforms.Resize((150, 150)), transforms.ToTensor()])
train_loader = DataLoader(datasets.ImageFolder("data/train", tf), batch_size=32, shuffle=True)
model = CNN(apply_sigmoid=True)
criterion = nn.BCEWithLogitsLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
for epoch in range(10):
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x).squeeze(1), y.float())
        loss.backward()
        optimizer.step()
