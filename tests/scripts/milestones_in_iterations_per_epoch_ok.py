# The ResNet paper's CIFAR-10 schedule (decay at 32k and 48k iterations) converted to epochs by
# dividing by the batches of an epoch: MultiStepLR stepped once per epoch is right.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

ITERATIONS = 64000
BATCH_SIZE = 128

train_dataset = TensorDataset(torch.randn(50000, 3, 32, 32), torch.randint(0, 10, (50000,)))
train_dataloader = DataLoader(train_dataset, batch_size=BATCH_SIZE, shuffle=True)
EPOCHS = ITERATIONS // len(train_dataloader)
LR_MILESTONES = [32000 // len(train_dataloader), 48000 // len(train_dataloader)]

model = nn.Sequential(nn.Conv2d(3, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(16, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
scheduler = torch.optim.lr_scheduler.MultiStepLR(optimizer, milestones=LR_MILESTONES, gamma=0.1)

for epoch in range(EPOCHS):
    model.train()
    for inputs, labels in train_dataloader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
    scheduler.step()
