"""Two correct shapes of a conditional switch: the evaluate-only branch switches to eval mode and
leaves the script (so it never reaches the training loop), and test() switches on both branches of
its own choice (train mode for Monte Carlo dropout, eval mode otherwise) before the pass; the quick
check's switch is guarded by the network's own mode (`if net.training: net.eval()`), and an optional
encoder is switched and run under the same test (`if encoder is not None:`)."""
import argparse
import sys

import torch
import torch.nn as nn
import torch.nn.functional as F
from torchvision import datasets, transforms

parser = argparse.ArgumentParser()
parser.add_argument("--epochs", type=int, default=10)
parser.add_argument("--test-only", action="store_true")
parser.add_argument("--mc-dropout", action="store_true")
args = parser.parse_args()

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = torch.utils.data.DataLoader(datasets.MNIST("data", train=True, download=True, transform=tf),
                                           batch_size=64, shuffle=True)
test_loader = torch.utils.data.DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=1000)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(784, 256)
        self.drop = nn.Dropout(0.5)
        self.fc2 = nn.Linear(256, 10)

    def forward(self, x):
        return self.fc2(self.drop(F.relu(self.fc1(x.flatten(1)))))


net = Net()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)


def train(epoch):
    net.train()
    for data, target in train_loader:
        optimizer.zero_grad()
        loss = F.cross_entropy(net(data), target)
        loss.backward()
        optimizer.step()


def test():
    if args.mc_dropout:
        net.train()
    else:
        net.eval()
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            output = net(data)
            correct += output.argmax(1).eq(target).sum().item()
    print(f"test accuracy {correct / len(test_loader.dataset):.4f}")


def quick_check():
    if net.training:  # a switch skipped only when the network is already in eval mode
        net.eval()
    losses = []
    with torch.no_grad():
        for data, target in test_loader:
            losses.append(F.cross_entropy(net(data), target).item())
    print(sum(losses) / len(losses))
    net.train()


encoder = nn.Sequential(nn.Conv2d(1, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Flatten(), nn.LazyLinear(784))
if args.test_only:
    encoder = None


def validate_with_optional_encoder():
    net.eval()
    if encoder is not None:  # the same test guards the encoder's pass below
        encoder.eval()
    with torch.no_grad():
        for data, target in test_loader:
            if encoder is not None:
                data = encoder(data)
            print(F.cross_entropy(net(data), target).item())


def evaluate_only():
    correct = 0
    with torch.no_grad():
        for data, target in test_loader:
            correct += net(data).argmax(1).eq(target).sum().item()
    return correct / len(test_loader.dataset)


if args.test_only:
    net.load_state_dict(torch.load("mnist_net.pt"))
    net.eval()
    print(evaluate_only())
    sys.exit(0)

for epoch in range(1, args.epochs + 1):
    train(epoch)
    quick_check()
    validate_with_optional_encoder()
    test()
torch.save(net.state_dict(), "mnist_net.pt")
