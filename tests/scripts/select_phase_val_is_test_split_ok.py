"""The twin of select_phase_val_is_test_split.py: the 'val' phase walks a random_split half of
the training images, and the test split is only evaluated once, after training."""
import copy

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler
from torchvision import datasets, models, transforms

normalize = transforms.Normalize(mean=[0.485, 0.456, 0.406], std=[0.229, 0.224, 0.225])
trainset = datasets.CIFAR10(root="./data", train=True, download=True,
                            transform=transforms.Compose([transforms.ToTensor(), normalize]))
trainset, valset = torch.utils.data.random_split(trainset, [45000, 5000])
testset = datasets.CIFAR10(root="./data", train=False, transform=transforms.Compose([transforms.ToTensor(), normalize]))
train_loader = torch.utils.data.DataLoader(trainset, batch_size=128, shuffle=True, num_workers=4)
val_loader = torch.utils.data.DataLoader(valset, batch_size=128, shuffle=False, num_workers=4)
test_loader = torch.utils.data.DataLoader(testset, batch_size=128, shuffle=False)
dataloaders = {"train": train_loader, "val": val_loader}
dataset_sizes = {"train": len(trainset), "val": len(valset)}


def train_model(model, criterion, optimizer, scheduler, num_epochs=25):
    best_model_wts = copy.deepcopy(model.state_dict())
    best_acc = 0.0
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            running_corrects = 0
            for inputs, labels in dataloaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs)
                    _, preds = torch.max(outputs, 1)
                    loss = criterion(outputs, labels)
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
                running_corrects += torch.sum(preds == labels.data).item()
            if phase == "train":
                scheduler.step()
            epoch_acc = running_corrects / dataset_sizes[phase]
            if phase == "val" and epoch_acc > best_acc:
                best_acc = epoch_acc
                best_model_wts = copy.deepcopy(model.state_dict())
    model.load_state_dict(best_model_wts)
    return model


model_ft = models.resnet34(weights="IMAGENET1K_V1")
model_ft.fc = nn.Linear(model_ft.fc.in_features, 10)
criterion = nn.CrossEntropyLoss()
optimizer_ft = optim.SGD(model_ft.parameters(), lr=0.001, momentum=0.9)
exp_lr_scheduler = lr_scheduler.StepLR(optimizer_ft, step_size=7, gamma=0.1)
model_ft = train_model(model_ft, criterion, optimizer_ft, exp_lr_scheduler, num_epochs=25)
model_ft.eval()
with torch.no_grad():
    hits = sum((model_ft(x).argmax(1) == y).sum().item() for x, y in test_loader)
print(f"test accuracy {hits / len(testset):.3f}")
