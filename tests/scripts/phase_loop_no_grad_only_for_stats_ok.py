# The twin: the shared forward pass runs under torch.set_grad_enabled(phase == "train"), so the
# validation phase builds no graph; the statistics keep their own no_grad block.
import copy

import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


class EEGNet(nn.Module):
    def __init__(self, channels=22, classes=4):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv1d(channels, 16, 7, padding=3), nn.BatchNorm1d(16), nn.ELU(),
                                  nn.AdaptiveAvgPool1d(8), nn.Dropout(0.25))
        self.fc = nn.Linear(16 * 8, classes)

    def forward(self, x):
        return self.fc(self.conv(x).flatten(1))


def train_model(model, loaders, sizes, criterion, optimizer, num_epochs=30):
    best_model, best_acc = copy.deepcopy(model), 0.0
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train(True)
            else:
                model.train(False)
            running_loss, running_corrects = 0.0, 0
            for inputs, labels in loaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    preds = model(inputs)
                    loss = criterion(preds, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                with torch.no_grad():
                    running_loss += loss.item() * inputs.size(0)
                    running_corrects += (preds.argmax(1) == labels).sum().item()
            epoch_acc = running_corrects / sizes[phase]
            print(f"{epoch} {phase} loss {running_loss / sizes[phase]:.4f} acc {epoch_acc:.4f}")
            if phase == "val" and epoch_acc > best_acc:
                best_acc, best_model = epoch_acc, copy.deepcopy(model)
    return best_model


train_ds = TensorDataset(torch.randn(600, 22, 128), torch.randint(0, 4, (600,)))
val_ds = TensorDataset(torch.randn(150, 22, 128), torch.randint(0, 4, (150,)))
loaders = {"train": DataLoader(train_ds, batch_size=32, shuffle=True), "val": DataLoader(val_ds, batch_size=64)}
model = EEGNet()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
best = train_model(model, loaders, {"train": len(train_ds), "val": len(val_ds)}, nn.CrossEntropyLoss(), optimizer)
