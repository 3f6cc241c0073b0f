"""Training steps written as a method of the model class and as a plain helper, each returning
the loss tensor itself; the epoch loops add those tensors to running totals, so every batch's
autograd graph stays referenced until the epoch ends."""
import torch
import torch.nn as nn
import torchvision.datasets as dsets
import torchvision.transforms as transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
mnist_train = dsets.MNIST(root="MNIST_data/", train=True, transform=transforms.ToTensor(), download=True)
data_loader = torch.utils.data.DataLoader(mnist_train, batch_size=100, shuffle=True, drop_last=True)


class CNN(nn.Module):
    def __init__(self, learning_rate=0.001):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Linear(14 * 14 * 32, 10)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = torch.optim.Adam(self.parameters(), lr=learning_rate)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))

    def train_model(self, x, y):
        self.train()
        self.optimizer.zero_grad()
        hypothesis = self.forward(x)
        self.cost = self.criterion(hypothesis, y)
        self.cost.backward()
        self.optimizer.step()
        return self.cost


model = CNN().to(device)
total_batch = len(data_loader)
for epoch in range(15):
    avg_cost = 0
    for X, Y in data_loader:
        cost = model.train_model(X.to(device), Y.to(device))
        avg_cost += cost / total_batch  # expect: FIT502
    print(f"[Epoch: {epoch + 1:>4}] cost = {avg_cost:>.9}")

second = CNN().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(second.parameters(), lr=0.01, momentum=0.9)


def train_batch(x, y):
    optimizer.zero_grad()
    loss = criterion(second(x), y)
    loss.backward()
    optimizer.step()
    return loss


for epoch in range(5):
    running = 0.0
    for X, Y in data_loader:
        running += train_batch(X.to(device), Y.to(device))  # expect: FIT502
    print(epoch, running / total_batch)
