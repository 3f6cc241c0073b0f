# The twin: the same DeepLabV3 trained on batches of 16 crops.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset
from torchvision.models.segmentation import deeplabv3_resnet50

images = torch.rand(64, 3, 256, 256)
masks = torch.randint(0, 2, (64, 256, 256))
loader = DataLoader(TensorDataset(images, masks), batch_size=16, shuffle=True)
model = deeplabv3_resnet50(weights=None, weights_backbone=None, num_classes=2)
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-4, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(20):
    model.train()
    for x, y in loader:
        optimizer.zero_grad()
        loss = criterion(model(x)["out"], y)
        loss.backward()
        optimizer.step()
