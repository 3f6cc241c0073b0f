"""CIFAR-10 with a trainer class from a package; the scheduler is made here and stepped there."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

from engine import Trainer
from models import build_model

EPOCHS = 30
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
full = datasets.CIFAR10("data", train=True, download=True, transform=transform)
train_set, val_set = random_split(full, [45000, 5000], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = build_model(10).to(device)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max=EPOCHS)
trainer = Trainer(model, optimizer, scheduler, nn.CrossEntropyLoss(), device)
trainer.fit(train_loader, val_loader, EPOCHS)
