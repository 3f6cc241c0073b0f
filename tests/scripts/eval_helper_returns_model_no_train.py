# A VGG-style solver split into train() and test() helpers that hand the model back
# (`model, optimizer, loss = train(model, ...)`): test() switches to eval mode and nothing ever
# switches back, so from the second epoch on training runs with dropout off.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset


def train(model, criterion, optimizer, loader):
    running = 0.0
    for images, labels in loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
        running += loss.item() * images.size(0)
    return model, optimizer, running / len(loader.dataset)


def test(model, criterion, loader):
    model.eval()  # expect: FIT203
    running = 0.0
    with torch.no_grad():
        for images, labels in loader:
            running += criterion(model(images), labels).item() * images.size(0)
    return model, running / len(loader.dataset)


model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 32 * 32, 512), nn.ReLU(), nn.Dropout(0.5), nn.Linear(512, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
train_loader = DataLoader(TensorDataset(torch.rand(512, 3, 32, 32), torch.randint(0, 10, (512,))), batch_size=64,
                          shuffle=True)
valid_loader = DataLoader(TensorDataset(torch.rand(128, 3, 32, 32), torch.randint(0, 10, (128,))), batch_size=128)
for epoch in range(20):
    model, optimizer, train_loss = train(model, criterion, optimizer, train_loader)
    model, valid_loss = test(model, criterion, valid_loader)
    print(f"{epoch} train {train_loss:.4f} valid {valid_loss:.4f}")
