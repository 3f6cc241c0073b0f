import torch
import torch.nn as nn
from torchvision import models


def set_trainable(module, flag):
    for p in module.parameters():
        p.requires_grad = flag


def count_trainable(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def attach_head(module, num_classes):
    module.classifier = nn.Linear(module.classifier.in_features, num_classes)


def build(num_classes):
    model = models.resnet50(weights="IMAGENET1K_V2")
    set_trainable(model, False)
    model.fc = nn.Linear(model.fc.in_features, num_classes)  # the new head trains
    return model


def build_densenet():
    net = models.densenet121(weights="IMAGENET1K_V1")
    for p in net.parameters():
        p.requires_grad = False
    return net


model = build(num_classes=3)
print(f"trainable parameters: {count_trainable(model)}")
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
densenet = build_densenet()
attach_head(densenet, num_classes=3)  # a new, trainable classifier
densenet_optimizer = torch.optim.SGD(densenet.parameters(), lr=1e-2, momentum=0.9)
