"""Transfer learning in the shape of a course notebook exported to a script: a first densenet with a
new classifier is timed on CPU and GPU for a few batches, then a fresh densenet gets the head it
keeps. The second model gets its own optimizer, built after its head."""
import time

import torch
from torch import nn, optim
from torchvision import models


def timing_demo(trainloader):
    model = models.densenet121(weights="IMAGENET1K_V1")
    for param in model.parameters():
        param.requires_grad = False
    model.classifier = nn.Sequential(nn.Linear(1024, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 2),
                                     nn.LogSoftmax(dim=1))
    criterion = nn.NLLLoss()
    optimizer = optim.Adam(model.classifier.parameters(), lr=0.001)
    for ii, (inputs, labels) in enumerate(trainloader):
        start = time.time()
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()
        if ii == 3:
            print(f"time per batch: {(time.time() - start) / 3:.3f} s")
            break

    model = models.densenet121(weights="IMAGENET1K_V1")
    for param in model.parameters():
        param.requires_grad = False
    model.classifier = nn.Sequential(nn.Linear(1024, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 2),
                                     nn.LogSoftmax(dim=1))
    optimizer = optim.Adam(model.classifier.parameters(), lr=0.003)
    for epoch in range(1):
        for inputs, labels in trainloader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
