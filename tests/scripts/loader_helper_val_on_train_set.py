# Galaxy morphology: both loaders come from one helper, and the validation call hands it the
# training set (a copy-paste slip).
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset, random_split


def make_loader(ds, batch_size, train):
    return DataLoader(ds, batch_size=batch_size, shuffle=train, drop_last=train)


full = TensorDataset(torch.rand(5000, 3, 64, 64), torch.randint(0, 3, (5000,)))
train_set, val_set = random_split(full, [4000, 1000], generator=torch.Generator().manual_seed(0))
train_loader = make_loader(train_set, 64, train=True)
val_loader = make_loader(train_set, 128, train=False)  # expect: FIT603
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, 3))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        print(epoch, sum((model(x).argmax(1) == y).sum().item() for x, y in val_loader))
