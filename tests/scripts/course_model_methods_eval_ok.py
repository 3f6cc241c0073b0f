import torch
import torch.nn as nn
import torchvision

mnist_train = torchvision.datasets.FashionMNIST("./data", train=True, download=True)
x_train = mnist_train.data.reshape(-1, 1, 28, 28).float() / 255
y_train = torch.zeros((mnist_train.targets.shape[0], 10))
y_train[torch.arange(mnist_train.targets.shape[0]), mnist_train.targets] = 1
mnist_test = torchvision.datasets.FashionMNIST("./data", train=False, download=True)
x_test = mnist_test.data.reshape(-1, 1, 28, 28).float() / 255
y_test = torch.zeros((mnist_test.targets.shape[0], 10))
y_test[torch.arange(mnist_test.targets.shape[0]), mnist_test.targets] = 1

batches = 600
perm = torch.randperm(len(x_train))
x_train_batches = torch.split(x_train[perm], batches)
y_train_batches = torch.split(y_train[perm], batches)


class ConvolutionalNeuralNetworkModel(nn.Module):
    def __init__(self):
        super().__init__()
        self.logits = nn.Sequential(
            nn.Conv2d(1, 32, kernel_size=3), nn.ReLU(), nn.MaxPool2d(2),
            nn.Dropout2d(0.25), nn.Flatten(), nn.Linear(5408, 128), nn.ReLU(), nn.Linear(128, 10),
        )

    # Predictor
    def f(self, x):
        return torch.softmax(self.logits(x), dim=1)

    # Cross Entropy loss
    def loss(self, x, y):
        return nn.functional.cross_entropy(self.logits(x), y.argmax(1))

    # Accuracy
    def accuracy(self, x, y):
        return torch.mean(torch.eq(self.f(x).argmax(1), y.argmax(1)).float())


model = ConvolutionalNeuralNetworkModel()
optimizer = torch.optim.Adam(model.parameters(), 0.0005)
for epoch in range(20):
    model.train()
    for batch in range(len(x_train_batches)):
        model.loss(x_train_batches[batch], y_train_batches[batch]).backward()
        optimizer.step()
        optimizer.zero_grad()
    model.eval()
    with torch.no_grad():
        print("accuracy = %s" % model.accuracy(x_test, y_test).item())
