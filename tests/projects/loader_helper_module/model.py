import torch.nn as nn


class GenreCNN(nn.Module):
    def __init__(self, n_classes=10):
        super().__init__()
        self.features = nn.Sequential(nn.Conv1d(1, 16, 9), nn.BatchNorm1d(16), nn.ReLU(), nn.AdaptiveAvgPool1d(1))
        self.head = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(16, n_classes))

    def forward(self, x):
        return self.head(self.features(x))
