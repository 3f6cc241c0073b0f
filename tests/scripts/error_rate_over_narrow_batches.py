"""An EPFL-style mini-project: batches are cut with `tensor.narrow(0, b, bs)`, and the test error
rate is computed by a helper named after what it counts, with gradients on."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(2, 32, 3)
        self.bn = nn.BatchNorm2d(32)
        self.fc = nn.Linear(32 * 12 * 12, 2)

    def forward(self, x):
        return self.fc(F.relu(self.bn(self.conv(x))).flatten(1))


def compute_nb_errors(model, data_input, data_target, mini_batch_size=100):
    nb_errors = 0
    for b in range(0, data_input.size(0), mini_batch_size):  # expect: FIT202
        output = model(data_input.narrow(0, b, mini_batch_size))
        predicted = output.argmax(1)
        nb_errors += (predicted != data_target.narrow(0, b, mini_batch_size)).sum().item()
    return nb_errors


train_input, train_target, test_input, test_target = generate_pair_sets(1000)
model = Net()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4)
criterion = nn.CrossEntropyLoss()
for epoch in range(25):
    model.train()
    perm = torch.randperm(train_input.size(0))
    train_input, train_target = train_input[perm], train_target[perm]
    for b in range(0, train_input.size(0), 100):
        loss = criterion(model(train_input.narrow(0, b, 100)), train_target.narrow(0, b, 100))
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
model.eval()
print("test error", compute_nb_errors(model, test_input, test_target) / test_input.size(0))
