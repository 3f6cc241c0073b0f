# exported from the project notebook (Python 2 era: `async=True` no longer parses)
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader
from torchvision import transforms

from data_load import FacialKeypointsDataset
from data_load import RandomCrop, CenterCrop, ToTensor

data_transform = transforms.Compose([RandomCrop(224), ToTensor()])
train_set = FacialKeypointsDataset("training_frames_keypoints.csv", "data/training/", transform=data_transform)
test_set = FacialKeypointsDataset("test_frames_keypoints.csv", "data/test/", transform=data_transform)  # expect: FIT402
train_loader = DataLoader(train_set, batch_size=10, shuffle=True, num_workers=4)
test_loader = DataLoader(test_set, batch_size=10, num_workers=4)

net = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.LazyLinear(136))
criterion = nn.SmoothL1Loss()
optimizer = optim.Adam(net.parameters(), lr=1e-3)
for epoch in range(10):
    net.train()
    for batch in train_loader:
        images = batch["image"].cuda(async=True)
        key_pts = batch["keypoints"].view(batch["keypoints"].size(0), -1).cuda(async=True)
        optimizer.zero_grad()
        loss = criterion(net(images), key_pts)
        loss.backward()
        optimizer.step()
    net.eval()
    with torch.no_grad():
        total = sum(criterion(net(b["image"]), b["keypoints"].view(b["keypoints"].size(0), -1)).item()
                    for b in test_loader)
    print(epoch, total / len(test_loader))
