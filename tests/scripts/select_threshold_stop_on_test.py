"""The chest X-ray course project's loop: every 20 steps the model is scored on the test loader,
and training stops as soon as that accuracy reaches 95%. The stopping point is chosen on the test
set, so the 95% it reports is the first test score to cross the line (FIT601)."""
import torch
import torch.nn as nn
import torchvision
from torch.utils.data import DataLoader

train_dataset = torchvision.datasets.ImageFolder("COVID-19 Radiography Database/train",
                                                 transform=torchvision.transforms.ToTensor())
test_dataset = torchvision.datasets.ImageFolder("COVID-19 Radiography Database/test",
                                                transform=torchvision.transforms.ToTensor())
dl_train = DataLoader(train_dataset, batch_size=32, shuffle=True)
dl_test = DataLoader(test_dataset, batch_size=32, shuffle=True)
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
            if train_step % 20 == 0:
                resnet18.eval()
                accuracy = 0
                with torch.no_grad():
                    for images, labels in dl_test:
                        accuracy += (resnet18(images).argmax(1) == labels).sum().item()
                accuracy = accuracy / len(test_dataset)
                resnet18.train()
                if accuracy >= 0.95:  # expect: FIT601
                    print("Performance condition satisfied, stopping..")
                    return


train(epochs=1)
