"""The same kernel with batches of 32: nothing to report."""
import torch
import torch.nn as nn
from efficientnet_pytorch import EfficientNet
from torch.utils.data import DataLoader

model = EfficientNet.from_pretrained("efficientnet-b5")
model._fc = nn.Linear(in_features=2048, out_features=5, bias=True)
train_dataloader = DataLoader(train_dataset, batch_size=32, shuffle=True)
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for images, labels in train_dataloader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
