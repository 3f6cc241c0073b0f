"""The same loop stopping on a validation folder's accuracy, and on a training loss small enough:
neither is chosen on the test set, which is scored once after training: nothing to report."""
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader

train_dataset = torchvision.datasets.ImageFolder("COVID-19 Radiography Database/train",
                                                 transform=torchvision.transforms.ToTensor())
val_dataset = torchvision.datasets.ImageFolder("COVID-19 Radiography Database/val",
                                               transform=torchvision.transforms.ToTensor())
test_dataset = torchvision.datasets.ImageFolder("COVID-19 Radiography Database/test",
                                                transform=torchvision.transforms.ToTensor())
dl_train = DataLoader(train_dataset, batch_size=32, shuffle=True)
dl_val = DataLoader(val_dataset, batch_size=32)
dl_test = DataLoader(test_dataset, batch_size=32)
resnet18 = torchvision.models.resnet18(weights="IMAGENET1K_V1")
resnet18.fc = nn.Linear(512, 3)
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(resnet18.parameters(), lr=3e-5)


def train(epochs):
    for epoch in range(epochs):
        resnet18.train()
        for train_step, (images, labels) in enumerate(dl_train):
            optimizer.zero_grad()
            loss = loss_fn(resnet18(images), labels)
            loss.backward()
            optimizer.step()
            if loss.item() < 1e-4:
                break
            if train_step % 20 == 0:
                resnet18.eval()
                accuracy = 0
                with torch.no_grad():
                    for images, labels in dl_val:
                        accuracy += (resnet18(images).argmax(1) == labels).sum().item()
                accuracy = accuracy / len(val_dataset)
                resnet18.train()
                if accuracy >= 0.95:
                    print("Performance condition satisfied, stopping..")
                    return


train(epochs=1)
resnet18.eval()
with torch.no_grad():
    correct = sum((resnet18(images).argmax(1) == labels).sum().item() for images, labels in dl_test)
print("test accuracy", correct / len(test_dataset))
