import argparse
import os

import torch
import torch.distributed as dist
import torch.nn as nn
from torch.utils.data import DataLoader, DistributedSampler
from torchvision import datasets, transforms


class Leaves(datasets.ImageFolder):
    def class_weights_sampler(self):
        # weighted sampling was tried and dropped: the classes are balanced
        return None


parser = argparse.ArgumentParser()
parser.add_argument("--root", default="data/leaves")
args = parser.parse_args()
distributed = "WORLD_SIZE" in os.environ
if distributed:
    dist.init_process_group("nccl")

tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.ToTensor(),
                         transforms.Normalize([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])])
train_ds = Leaves(os.path.join(args.root, "train"), transform=tf)
aux_ds = Leaves(os.path.join(args.root, "extra"), transform=tf)
train_sampler = DistributedSampler(train_ds, shuffle=True) if distributed else None
train_loader = DataLoader(train_ds, batch_size=64, sampler=train_sampler, num_workers=8, drop_last=True)  # expect: FIT101
aux_loader = DataLoader(aux_ds, batch_size=64, sampler=aux_ds.class_weights_sampler(), num_workers=8)  # expect: FIT101

model = nn.Sequential(nn.Conv2d(3, 32, 3), nn.BatchNorm2d(32), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(32, len(train_ds.classes)))
optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(30):
    if train_sampler is not None:
        train_sampler.set_epoch(epoch)
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
    for x, y in aux_loader:  # a second pass over the extra leaves
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
