import torch.nn as nn


class MNISTModel(nn.Module):
    """The notebook's model, kept in a module beside it: it ends in a softmax."""

    def __init__(self, channels=32):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, channels, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten())
        self.bn = nn.BatchNorm1d(channels * 13 * 13)
        self.fc = nn.Linear(channels * 13 * 13, 10)
        self.softmax = nn.Softmax(dim=1)

    def forward(self, x):
        x = self.fc(self.bn(self.features(x)))
        return self.softmax(x)  # expect: FIT302
