"""The Bayesian MLP homework with a dropout layer between blitz's `BayesianLinear` layers: the
test loop never calls `model.eval()`, so every test pass drops half the hidden units (FIT201)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision.datasets as datasets
import torchvision.transforms as transforms
from blitz.modules import BayesianLinear
from blitz.utils import variational_estimator


@variational_estimator
class BayesianNeuralNetwork(nn.Module):
    def __init__(self, input_size, hidden_size, output_size):
        super().__init__()
        self.blinear1 = BayesianLinear(input_size, hidden_size)
        self.drop = nn.Dropout(0.5)
        self.blinear2 = BayesianLinear(hidden_size, output_size)

    def forward(self, x):
        return self.blinear2(self.drop(F.relu(self.blinear1(x))))


train_set = datasets.MNIST("./data", train=True, download=True, transform=transforms.ToTensor())
test_set = datasets.MNIST("./data", train=False, download=True, transform=transforms.ToTensor())
train_loader = torch.utils.data.DataLoader(train_set, batch_size=100, shuffle=True)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=100)

model = BayesianNeuralNetwork(28 * 28, 256, 10)
optimizer = torch.optim.Adam(model.parameters(), lr=0.001, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = model.sample_elbo(inputs=images.view(-1, 28 * 28), labels=labels, criterion=criterion,
                                 sample_nbr=3, complexity_cost_weight=1 / 60000)
        loss.backward()
        optimizer.step()
    correct = 0
    with torch.no_grad():
        for images, labels in test_loader:  # expect: FIT201
            outputs = model(images.view(-1, 28 * 28))
            correct += (outputs.argmax(dim=1) == labels).sum().item()
    print(f"epoch {epoch}: test accuracy {correct / len(test_set):.4f}")
