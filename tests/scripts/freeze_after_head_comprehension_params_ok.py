"""Bird species fine-tuning, following the transfer-learning tutorial: the backbone is frozen
first and the new head put on afterwards (its parameters train), and the optimizer is handed
`[p for p in model.parameters()]`: the frozen ones are skipped by Adam, the head trains."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms


def set_parameter_requires_grad(model, feature_extracting=True):
    if feature_extracting:
        for param in model.parameters():
            param.requires_grad = False


tf = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(), transforms.ToTensor(),
                         transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
train_ds = datasets.ImageFolder("data/birds/train", tf)
train_loader = DataLoader(train_ds, batch_size=32, shuffle=True)

model = models.resnet50(weights=models.ResNet50_Weights.IMAGENET1K_V2)
set_parameter_requires_grad(model)
model.fc = nn.Linear(model.fc.in_features, len(train_ds.classes))
params_to_update = [p for p in model.parameters()]
optimizer = torch.optim.Adam(params_to_update, lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        criterion(model(x), y).backward()
        optimizer.step()
