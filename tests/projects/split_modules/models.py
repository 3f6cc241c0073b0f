import torch.nn as nn


class SmallNet(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2))
        self.head = nn.Sequential(nn.Flatten(), nn.Linear(32 * 13 * 13, 128), nn.ReLU(),
                                  nn.Dropout(0.5), nn.Linear(128, classes))

    def forward(self, x):
        return self.head(self.features(x))
