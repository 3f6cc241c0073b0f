"""A 2020 Kaggle image kernel: EfficientNet-B5 from `efficientnet_pytorch` (batch-norm in every
block), fine-tuned in training mode with batches of 4 images (FIT504)."""
import torch
import torch.nn as nn
from efficientnet_pytorch import EfficientNet
from torch.utils.data import DataLoader

model = EfficientNet.from_pretrained("efficientnet-b5")
model._fc = nn.Linear(in_features=2048, out_features=5, bias=True)
train_dataloader = DataLoader(train_dataset, batch_size=4, shuffle=True)  # expect: FIT504
optimizer = torch.optim.Adam(model.parameters(), lr=1e-4, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
for epoch in range(5):
    model.train()
    for images, labels in train_dataloader:
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
