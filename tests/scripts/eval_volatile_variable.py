"""The pre-0.4 MNIST example: the test pass marks its inputs `Variable(data, volatile=True)`, which
has disabled nothing since PyTorch 0.4, so the evaluation builds graphs (FIT202)."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.autograd import Variable
from torchvision import datasets, transforms

train_loader = torch.utils.data.DataLoader(datasets.MNIST("../data", train=True, download=True, transform=transforms.ToTensor()),
                                           batch_size=64, shuffle=True)
test_loader = torch.utils.data.DataLoader(datasets.MNIST("../data", train=False, transform=transforms.ToTensor()),
                                          batch_size=1000)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d()
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, 10)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = x.view(-1, 320)
        x = F.relu(self.fc1(x))
        x = F.dropout(x, training=self.training)
        return F.log_softmax(self.fc2(x), dim=1)


model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.5, weight_decay=1e-4)


def train(epoch):
    model.train()
    for data, target in train_loader:
        data, target = Variable(data), Variable(target)
        optimizer.zero_grad()
        loss = F.nll_loss(model(data), target)
        loss.backward()
        optimizer.step()


def test():
    model.eval()
    test_loss = 0
    correct = 0
    for data, target in test_loader:  # FIT202
        data, target = Variable(data, volatile=True), Variable(target)
        output = model(data)
        test_loss += F.nll_loss(output, target, size_average=False).item()
        correct += output.data.max(1, keepdim=True)[1].eq(target.data.view_as(output.data.max(1, keepdim=True)[1])).sum()


for epoch in range(1, 11):
    train(epoch)
    test()
