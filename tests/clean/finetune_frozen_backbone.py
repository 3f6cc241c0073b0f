"""Fine-tuning a pretrained ResNet: the backbone frozen, a new head trained, only the parameters
that require gradients given to the optimizer; BatchNorm layers of the frozen backbone kept in
eval mode while the head trains."""
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
weights = torchvision.models.ResNet50_Weights.IMAGENET1K_V2
preprocess = weights.transforms()
train_set = datasets.ImageFolder("data/train", transform=transforms.Compose([transforms.RandomResizedCrop(224),
                                                                            transforms.RandomHorizontalFlip(), preprocess]))
val_set = datasets.ImageFolder("data/val", transform=preprocess)
train_loader = DataLoader(train_set, batch_size=32, shuffle=True, num_workers=4)
val_loader = DataLoader(val_set, batch_size=64, num_workers=4)

model = torchvision.models.resnet50(weights=weights)
for param in model.parameters():
    param.requires_grad = False
model.fc = nn.Sequential(nn.Dropout(0.2), nn.Linear(model.fc.in_features, len(train_set.classes)))
model = model.to(device)
optimizer = torch.optim.AdamW(filter(lambda p: p.requires_grad, model.parameters()), lr=3e-4, weight_decay=1e-2)
criterion = nn.CrossEntropyLoss()


def set_train_mode(model):
    model.train()
    for module in model.modules():
        if isinstance(module, nn.BatchNorm2d):
            module.eval()


for epoch in range(10):
    set_train_mode(model)
    for images, labels in train_loader:
        images, labels = images.to(device), labels.to(device)
        optimizer.zero_grad()
        criterion(model(images), labels).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in val_loader:
            correct += (model(images.to(device)).argmax(1) == labels.to(device)).sum().item()
    print(f"epoch {epoch}: val accuracy {correct / len(val_set):.4f}")
