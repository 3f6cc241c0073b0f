# One training run per activation named on the command line: the list cut from the option string
# is a list of names, not of batches; the loader shuffles.
import argparse

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

ACTIVATIONS = {"relu": nn.ReLU, "elu": nn.ELU, "leaky_relu": nn.LeakyReLU}
parser = argparse.ArgumentParser()
parser.add_argument("--activation", default="relu,elu,leaky_relu")
parser.add_argument("--epochs", type=int, default=30)
args = parser.parse_args()

loader = DataLoader(TensorDataset(torch.randn(1080, 2, 750), torch.randint(0, 2, (1080,))), batch_size=64,
                    shuffle=True)
activations = args.activation.split(",")
for name in activations:
    model = nn.Sequential(nn.Conv1d(2, 16, 51, padding=25), nn.BatchNorm1d(16), ACTIVATIONS[name](),
                          nn.AdaptiveAvgPool1d(8), nn.Flatten(), nn.Dropout(0.25), nn.Linear(128, 2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(args.epochs):
        model.train()
        for x, y in loader:
            optimizer.zero_grad()
            loss = criterion(model(x), y)
            loss.backward()
            optimizer.step()
