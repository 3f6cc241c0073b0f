from torch import nn


class NET(nn.Module):
    """A VGG-style classifier with batch-norm and dropout."""

    def __init__(self, classes=2):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.classifier = nn.Sequential(nn.Flatten(), nn.Dropout(0.5), nn.LazyLinear(classes))

    def forward(self, x):
        return self.classifier(self.features(x))
