"""Training on the loaders `prepare_train` builds: the validation fifth was cut after an in-place
shuffle there, so the split is random; the borrowed definitions must carry that shuffle along with
the list it reorders: nothing to report."""
import torch
from torch import nn
from torchvision import models

from prepare_train import train_dataloader, val_dataloader

net = models.vgg16(weights="IMAGENET1K_V1")
net.classifier[6] = nn.Linear(4096, 2)
optimizer = torch.optim.SGD(net.parameters(), lr=0.001, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(10):
    net.train()
    for image, label in train_dataloader:
        optimizer.zero_grad()
        loss_fn(net(image), label).backward()
        optimizer.step()
    net.eval()
    correct = 0
    with torch.no_grad():
        for image, label in val_dataloader:
            correct += (net(image).argmax(1) == label).sum().item()
    print(epoch, correct / len(val_dataloader.dataset))
