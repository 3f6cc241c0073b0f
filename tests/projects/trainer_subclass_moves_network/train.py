import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

from trainer.trainer import Trainer

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5, 0.5, 0.5), (0.5, 0.5, 0.5))])
train_set = datasets.CIFAR10("data", train=True, download=True, transform=tf)
val_set = datasets.CIFAR10("data", train=False, download=True, transform=tf)
trainloader = DataLoader(train_set, batch_size=128, shuffle=True)
testloader = DataLoader(val_set, batch_size=256)

network = models.resnet18(num_classes=10)
optimizer = torch.optim.SGD(network.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
trainer = Trainer({"epochs": 30}, network, optimizer, nn.CrossEntropyLoss(), device, trainloader, testloader)
trainer.train()
