"""Transfer learning on an ImageFolder tree (train/, val/, test/) with one helper that builds the
loader each split asks for by name: the training branch shuffles, the held-out one does not (and
walks its own folder: one loader per call, never the training folder)."""
import os

import torch
import torch.nn as nn
from torchvision import datasets, models, transforms

data_dir, input_size, batch_size = "data/hymenoptera", 224, 32
train_tf = transforms.Compose([transforms.RandomResizedCrop(input_size), transforms.RandomHorizontalFlip(),
                               transforms.ToTensor(), transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
eval_tf = transforms.Compose([transforms.Resize(256), transforms.CenterCrop(input_size), transforms.ToTensor(),
                              transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])


def load_image(data_type):
    images = datasets.ImageFolder(os.path.join(data_dir, data_type), train_tf if data_type == "train" else eval_tf)
    if data_type == "train":
        return torch.utils.data.DataLoader(images, batch_size=batch_size, shuffle=True)
    else:
        return torch.utils.data.DataLoader(images, batch_size=batch_size)


def main():
    train_loader = load_image("train")
    val_loader = load_image("val")
    model = models.resnet18(weights=models.ResNet18_Weights.DEFAULT)
    model.fc = nn.Linear(model.fc.in_features, 2)
    optimizer = torch.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9, weight_decay=1e-4)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(15):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            criterion(model(images), labels).backward()
            optimizer.step()
        model.eval()
        correct = 0
        with torch.no_grad():
            for images, labels in val_loader:
                correct += (model(images).argmax(1) == labels).sum().item()
        print(epoch, correct / len(val_loader.dataset))


if __name__ == "__main__":
    main()
