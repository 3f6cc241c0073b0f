"""The same helpers with the raw test images scaled to 0..1 like the ToTensor() training loader:
the tuple element the caller unpacks is scaled. Nothing to report."""
import torch
import torch.nn as nn
import torch.utils.data as Data
import torchvision.transforms as transforms
from torchvision.datasets import MNIST


def get_mnist_loader():
    train_data = MNIST("./data/MNIST", train=True, transform=transforms.ToTensor(), download=True)
    data_loader = Data.DataLoader(dataset=train_data, batch_size=128, shuffle=True)
    test_data = MNIST("./data/MNIST", train=False, transform=transforms.ToTensor(), download=True)
    test_x = test_data.data.float() / 255.0
    test_x = torch.unsqueeze(test_x, dim=1)
    test_y = test_data.targets
    return data_loader, test_x, test_y


model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.Flatten(), nn.Linear(16 * 26 * 26, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-4)
loss_function = nn.CrossEntropyLoss()
train_loader, test_x, test_y = get_mnist_loader()
for epoch in range(5):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss_function(model(x), y).backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        accuracy = (model(test_x).argmax(1) == test_y).float().mean().item()
    print(epoch, accuracy)
