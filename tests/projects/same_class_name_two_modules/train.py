"""Music genres from audio features: the configuration picks one of two model modules whose
classes share a name."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

from models import large, small

configs = {"model": "large", "input_size": 26, "num_classes": 10, "learning_rate": 1e-3, "epochs": 30}
if configs["model"] == "small":
    model = small.GenreClassifier(configs["input_size"], configs["num_classes"])
elif configs["model"] == "large":
    model = large.GenreClassifier(configs["input_size"], configs["num_classes"])
loader = DataLoader(TensorDataset(torch.randn(1000, 26), torch.randint(0, 10, (1000,))), batch_size=64, shuffle=True)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=configs["learning_rate"], weight_decay=1e-4)
for epoch in range(configs["epochs"]):
    for data, targets in loader:
        optimizer.zero_grad()
        loss = criterion(model(data), targets)
        loss.backward()
        optimizer.step()
