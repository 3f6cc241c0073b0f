"""Evaluation done right, in many styles. Nothing here may be flagged by FIT201-FIT203.

Each section trains and evaluates its own model the way real projects do: eval mode and no_grad
in helpers, callers, decorators, nested functions, custom context managers, the phase loop of the
transfer-learning tutorial, helpers that restore the mode they found, evaluation inside the batch
loop with model.train() at the top of each batch, and a final test pass with no model.train()
after it.
"""
from contextlib import contextmanager

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torchvision
from sklearn.linear_model import LogisticRegression
from torch.utils.data import DataLoader
from torchvision import transforms

device = "cuda" if torch.cuda.is_available() else "cpu"
transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])
train_set = torchvision.datasets.FashionMNIST("data", train=True, download=True, transform=transform)
test_set = torchvision.datasets.FashionMNIST("data", train=False, download=True, transform=transform)
train_loader = DataLoader(train_set, batch_size=128, shuffle=True)
test_loader = DataLoader(test_set, batch_size=512)


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.net = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 512), nn.BatchNorm1d(512), nn.ReLU(), nn.Dropout(0.2), nn.Linear(512, 10)
        )

    def forward(self, x):
        return self.net(x)


# 1. the seed's layout, done right: net.train() in train(epoch), net.eval() + no_grad in test(epoch)
net = MLP().to(device)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)


def train(epoch):
    net.train()
    for inputs, targets in train_loader:
        inputs, targets = inputs.to(device), targets.to(device)
        optimizer.zero_grad()
        loss = criterion(net(inputs), targets)
        loss.backward()
        optimizer.step()


def test(epoch):
    net.eval()
    correct = 0
    with torch.no_grad():
        for inputs, targets in test_loader:
            outputs = net(inputs.to(device))
            correct += outputs.argmax(1).eq(targets.to(device)).sum().item()
    print(epoch, correct / len(test_set))


for epoch in range(5):
    train(epoch)
    test(epoch)


# 2. a helper that receives the model, the caller sets no_grad; a helper that restores the mode
def evaluate(model, loader):
    model.eval()
    losses = [F.cross_entropy(model(x.to(device)), y.to(device)).item() for x, y in loader]
    return float(np.mean(losses))


def quick_check(model, loader):
    was_training = model.training
    model.eval()
    with torch.no_grad():
        x, y = next(iter(loader))
        acc = (model(x.to(device)).argmax(1) == y.to(device)).float().mean().item()
    model.train(was_training)
    return acc


def fit_with_helpers(epochs=3):
    model = MLP().to(device)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3)
    model.train()
    for epoch in range(epochs):
        for step, (x, y) in enumerate(train_loader):
            opt.zero_grad()
            F.cross_entropy(model(x.to(device)), y.to(device)).backward()
            opt.step()
            if step % 200 == 0:
                print("batch acc", quick_check(model, test_loader))
        with torch.no_grad():
            val_loss = evaluate(model, test_loader)
        model.train(mode=True)
        print(epoch, val_loss)
    return model


# 3. a nested evaluation function, a decorator, and evaluation inside the batch loop
def main(epochs=3):
    model = MLP().to(device)
    opt = torch.optim.SGD(model.parameters(), lr=0.1)

    @torch.no_grad()
    def validate():
        model.eval()
        return sum((model(x.to(device)).argmax(1) == y.to(device)).sum().item() for x, y in test_loader)

    for epoch in range(epochs):
        for step, (x, y) in enumerate(train_loader):
            model.train()
            opt.zero_grad()
            F.cross_entropy(model(x.to(device)), y.to(device)).backward()
            opt.step()
            if step % 500 == 0:
                print("val correct", validate())
    return model


# 4. a custom context manager that switches mode and gradients
@contextmanager
def evaluating(model):
    was_training = model.training
    model.eval()
    try:
        with torch.no_grad():
            yield model
    finally:
        model.train(was_training)


def score(model):
    with evaluating(model):
        return [model(x.to(device)).argmax(1) for x, _ in test_loader]


# 5. the transfer-learning tutorial's phase loop with set_grad_enabled(phase == "train")
def train_model(model, optimizer, num_epochs=3):
    loaders = {"train": train_loader, "val": test_loader}
    for epoch in range(num_epochs):
        for phase in ["train", "val"]:
            if phase == "train":
                model.train()
            else:
                model.eval()
            for inputs, labels in loaders[phase]:
                optimizer.zero_grad()
                with torch.set_grad_enabled(phase == "train"):
                    outputs = model(inputs.to(device))
                    loss = criterion(outputs, labels.to(device))
                    if phase == "train":
                        loss.backward()
                        optimizer.step()
    return model


# 6. a Trainer whose .train(epochs) is a training routine; an Evaluator with inference_mode
class Evaluator:
    def __init__(self, model):
        self.model = model

    @torch.inference_mode()
    def run(self, loader):
        self.model.eval()
        return [self.model(x.to(device)) for x, _ in loader]


class Trainer:
    def __init__(self, model):
        self.model = model
        self.optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
        self.scheduler = torch.optim.lr_scheduler.CosineAnnealingLR(self.optimizer, T_max=10)
        self.evaluator = Evaluator(model)

    def train(self, epochs):
        for epoch in range(epochs):
            self.model.train()
            for x, y in train_loader:
                self.optimizer.zero_grad()
                F.cross_entropy(self.model(x.to(device)), y.to(device)).backward()
                self.optimizer.step()
            self.scheduler.step()
            self.evaluator.run(test_loader)


trainer = Trainer(MLP().to(device))
trainer.train(10)


# 7. a linear model (no dropout, no batch-norm) evaluated without eval(): the mode changes nothing
linear = nn.Linear(784, 10).to(device)
linear_opt = torch.optim.SGD(linear.parameters(), lr=0.01)
for epoch in range(2):
    for x, y in train_loader:
        linear_opt.zero_grad()
        F.cross_entropy(linear(x.view(-1, 784).to(device)), y.to(device)).backward()
        linear_opt.step()
    with torch.no_grad():
        for x, y in test_loader:
            linear(x.view(-1, 784).to(device))


# 8. saliency maps on the test data need gradients on purpose
def saliency_test(model):
    model.eval()
    maps = []
    for x, y in test_loader:
        x = x.to(device).requires_grad_(True)
        with torch.enable_grad():
            picked = model(x).gather(1, y.to(device)[:, None]).sum()
        maps.append(torch.autograd.grad(picked, x)[0])
    return maps


# 9. a scikit-learn baseline has no training mode
def sklearn_baseline(x_train, y_train, x_test, y_test):
    clf = LogisticRegression(max_iter=200)
    clf.fit(x_train, y_train)
    return (clf.predict(x_test) == y_test).mean()


# 10. the final test pass after training, with no model.train() after it
final = fit_with_helpers()
final.eval()
with torch.no_grad():
    correct = sum((final(x.to(device)).argmax(1) == y.to(device)).sum().item() for x, y in test_loader)
print("test accuracy", correct / len(test_set))
saliency_test(main())
score(train_model(MLP().to(device), torch.optim.SGD(net.parameters(), lr=0.01)))
