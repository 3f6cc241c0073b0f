import torch.nn as nn

use_dropout = False  # tried once (nn.Dropout after each ReLU), left off


class Regressor(nn.Module):
    def __init__(self, features):
        super().__init__()
        self.head = nn.Sequential(nn.Linear(features, 128), nn.ReLU(), nn.Linear(128, 16), nn.ReLU(), nn.Linear(16, 2))

    def forward(self, x):
        return self.head(x)
