"""A tutorial's picture helpers: `make_predictions(i)` runs the trained network on one test image
made a batch of one (`test_images[i].unsqueeze(dim=1)`), and `predict(waveform)` on one clip
(`tensor.unsqueeze(0)`); each pass costs no more than a training step and builds one small graph:
nothing to report (the evaluation loop runs under `no_grad`)."""
import matplotlib.pyplot as plt
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

network = nn.Sequential(nn.Conv2d(1, 6, 5), nn.ReLU(), nn.Flatten(), nn.Dropout(0.2), nn.LazyLinear(10))
train_loader = DataLoader(train_set, batch_size=100, shuffle=True)
test_loader = DataLoader(test_set, batch_size=1000)
optimizer = torch.optim.Adam(network.parameters(), lr=0.01)
for epoch in range(5):
    network.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        nn.functional.cross_entropy(network(images), labels).backward()
        optimizer.step()
network.eval()
with torch.no_grad():
    correct = sum((network(images).argmax(1) == labels).sum().item() for images, labels in test_loader)
test_images = test_set.data.float() / 255.0


def make_predictions(img_index):
    predics = network(test_images[img_index].unsqueeze(dim=1))
    print(predics.argmax())
    plt.imshow(test_images[img_index].squeeze())


def predict(tensor):
    return network(tensor.unsqueeze(0)).argmax(-1)


make_predictions(7)
print(predict(test_images[3].unsqueeze(0)))
