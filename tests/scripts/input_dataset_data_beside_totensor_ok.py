"""The raw `.data` tensor cast to float and divided by 255, as ToTensor would: nothing to report."""
import torch
import torchvision.datasets as dsets
import torchvision.transforms as transforms

device = "cuda" if torch.cuda.is_available() else "cpu"

mnist_train = dsets.MNIST(root="MNIST_data/", train=True, transform=transforms.ToTensor(), download=True)
mnist_test = dsets.MNIST(root="MNIST_data/", train=False, transform=transforms.ToTensor(), download=True)
data_loader = torch.utils.data.DataLoader(mnist_train, batch_size=100, shuffle=True)


class CNN(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.features = torch.nn.Sequential(torch.nn.Conv2d(1, 32, 3, padding=1), torch.nn.ReLU(),
                                            torch.nn.MaxPool2d(2))
        self.fc = torch.nn.Linear(14 * 14 * 32, 10)

    def forward(self, x):
        return self.fc(self.features(x).flatten(1))


model = CNN().to(device)
criterion = torch.nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=1e-4)

for epoch in range(5):
    for X, Y in data_loader:
        optimizer.zero_grad()
        loss = criterion(model(X.to(device)), Y.to(device))
        loss.backward()
        optimizer.step()

with torch.no_grad():
    model.eval()
    X_test = mnist_test.data.view(len(mnist_test), 1, 28, 28).float().div(255).to(device)
    Y_test = mnist_test.targets.to(device)
    accuracy = (model(X_test).argmax(1) == Y_test).float().mean()
    print("Accuracy:", accuracy.item())
