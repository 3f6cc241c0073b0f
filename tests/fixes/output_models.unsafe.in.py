"""Fashion-MNIST, three models (with --unsafe-fixes): a Sequential that ends in Softmax and a CNN
whose forward ends in ReLU, both trained with CrossEntropyLoss and evaluated by argmax; and a
calibrated model whose softmax output is read as probabilities, which must keep its softmax."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.2860,), (0.3530,))])
train_loader = DataLoader(datasets.FashionMNIST("data", train=True, download=True, transform=transform),
                          batch_size=128, shuffle=True)
test_loader = DataLoader(datasets.FashionMNIST("data", train=False, transform=transform), batch_size=1000)

mlp = nn.Sequential(
    nn.Flatten(),
    nn.Linear(784, 256),
    nn.ReLU(),
    nn.Dropout(0.2),
    nn.Linear(256, 10),
    nn.Softmax(dim=1),  # probabilities
).to(device)


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 32, 3, padding=1)
        self.fc1 = nn.Linear(32 * 14 * 14, 128)
        self.fc2 = nn.Linear(128, 10)
        self.relu = nn.ReLU()

    def forward(self, x):
        x = F.max_pool2d(self.relu(self.conv(x)), 2)
        x = self.relu(self.fc1(x.flatten(1)))
        return self.relu(self.fc2(x))  # class scores


class Calibrated(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(784, 10)

    def forward(self, x):
        return F.softmax(self.fc(x.flatten(1)), dim=1)


def train(model, epochs=5):
    criterion = nn.CrossEntropyLoss()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    for epoch in range(epochs):
        model.train()
        for images, labels in train_loader:
            images, labels = images.to(device), labels.to(device)
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()


@torch.no_grad()
def accuracy(model):
    model.eval()
    correct = 0
    for images, labels in test_loader:
        outputs = model(images.to(device))
        _, predicted = torch.max(outputs.data, 1)
        correct += (predicted.cpu() == labels).sum().item()
    return correct / len(test_loader.dataset)


train(mlp)
print("mlp", accuracy(mlp))
cnn = CNN().to(device)
train(cnn)
print("cnn", accuracy(cnn))

calibrated = Calibrated().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(calibrated.parameters(), lr=0.1)
for images, labels in train_loader:
    optimizer.zero_grad()
    probs = calibrated(images)
    loss = criterion(probs, labels)
    loss.backward()
    optimizer.step()
    confident = probs.max(1)[0] > 0.9
    print(f"{confident.float().mean():.2f} of the batch above 90% confidence")
