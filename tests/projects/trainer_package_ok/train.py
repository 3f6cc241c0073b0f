"""The trainer package with a per-iteration scheduler, and a submodule imported by name."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

from engine import Trainer
from models import build_model
from models import factory

EPOCHS = 30
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.49, 0.48, 0.45), (0.25, 0.24, 0.26))])
full = datasets.CIFAR10("data", train=True, download=True, transform=transform)
train_set, val_set = random_split(full, [45000, 5000], generator=torch.Generator().manual_seed(0))
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
val_loader = DataLoader(val_set, batch_size=256)

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
model = build_model(10).to(device) if EPOCHS else factory.build_model(10)
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
scheduler = torch.optim.lr_scheduler.OneCycleLR(optimizer, max_lr=0.1, total_steps=EPOCHS * len(train_loader))
trainer = Trainer(model, optimizer, scheduler, nn.CrossEntropyLoss(), device)
trainer.fit(train_loader, val_loader, EPOCHS)
