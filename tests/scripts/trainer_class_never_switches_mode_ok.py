import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class AlexNetSmall(nn.Module):
    def __init__(self, classes=10):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(3, 64, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),
            nn.Conv2d(64, 128, 3, padding=1), nn.ReLU(inplace=True), nn.MaxPool2d(2),
        )
        self.classifier = nn.Sequential(
            nn.Dropout(0.5), nn.Linear(128 * 8 * 8, 512), nn.ReLU(inplace=True),
            nn.Dropout(0.5), nn.Linear(512, classes),
        )

    def forward(self, x):
        return self.classifier(torch.flatten(self.features(x), 1))


def data_process(batch_size):
    tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,) * 3, (0.5,) * 3)])
    train_set = datasets.CIFAR10("data", train=True, download=True, transform=tf)
    test_set = datasets.CIFAR10("data", train=False, download=True, transform=tf)
    return (DataLoader(train_set, batch_size=batch_size, shuffle=True),
            DataLoader(test_set, batch_size=batch_size))


class Train:
    def __init__(self, epochs, batch_size):
        self.train_loader, self.test_loader = data_process(batch_size)
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.epochs = epochs
        self.model = AlexNetSmall().to(self.device)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(self.model.parameters(), lr=1e-3)

    def fit(self):
        for epoch in range(self.epochs):
            self.model.train()
            total_loss = 0.0
            for images, labels in self.train_loader:
                images, labels = images.to(self.device), labels.to(self.device)
                loss = self.criterion(self.model(images), labels)
                self.optimizer.zero_grad()
                loss.backward()
                self.optimizer.step()
                total_loss += loss.item()
            print(f"epoch {epoch}: loss {total_loss:.3f}")

    def test(self):
        test_model = self.model
        test_model.eval()
        correct = total = 0
        with torch.no_grad():
            for images, labels in self.test_loader:
                images, labels = images.to(self.device), labels.to(self.device)
                outputs = test_model(images)
                correct += (outputs.argmax(1) == labels).sum().item()
                total += labels.size(0)
        print(f"test accuracy {100 * correct / total:.2f}%")


if __name__ == "__main__":
    trainer = Train(epochs=20, batch_size=128)
    trainer.fit()
    trainer.test()
