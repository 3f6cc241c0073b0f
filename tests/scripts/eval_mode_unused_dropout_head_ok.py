import torch
from torch import nn
from torch.utils.data import DataLoader
from torchvision import datasets
from torchvision.transforms import ToTensor

device = "cuda" if torch.cuda.is_available() else "cpu"


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.Sequential(
            nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Flatten(), nn.Linear(1600, 10),
        )
        self.classifier = nn.Sequential(
            nn.Linear(1600, 256), nn.ReLU(), nn.Dropout(0.5),
            nn.Linear(256, 10),
        )

    def forward(self, x):
        # the head is kept for a later experiment: the model is the features alone
        return self.features(x)


def train_loop(loader, model, loss_fn, optimizer):
    for X, y in loader:
        loss = loss_fn(model(X.to(device)), y.to(device))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()


def test_loop(loader, model, loss_fn):
    correct, total = 0, 0
    with torch.no_grad():
        for X, y in loader:
            pred = model(X.to(device))
            correct += (pred.argmax(1) == y.to(device)).sum().item()
            total += len(y)
    print(f"accuracy {correct / total:.3f}")


if __name__ == "__main__":
    train_set = datasets.MNIST("data", train=True, download=True, transform=ToTensor())
    test_set = datasets.MNIST("data", train=False, download=True, transform=ToTensor())
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    test_loader = DataLoader(test_set, batch_size=256)
    model = Net().to(device)
    loss_fn = nn.CrossEntropyLoss()
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    for epoch in range(10):
        train_loop(train_loader, model, loss_fn, optimizer)
        test_loop(test_loader, model, loss_fn)
