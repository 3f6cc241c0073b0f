"""The twin of data_index_bounds_list.py: the same list of (start, end) bounds, but its order is
shuffled every epoch, so each epoch visits the batches in a new random order (the samples inside
a batch stay neighbours, a coarser but real shuffle); the comprehension form of the list."""
import random
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(5, 10, 3, 1)
        self.dropout = nn.Dropout2d(0.25)
        self.fc1 = nn.Linear(10 * 14 * 14, 10)

    def forward(self, x):
        x = self.dropout(F.max_pool2d(F.relu(self.conv1(x)), 2))
        return F.log_softmax(self.fc1(torch.flatten(x, 1)), dim=1)


train_data = torch.load("converted/inputtrain.pt").float()
train_label = torch.load("converted/labeltrain.pt").long()
net = Net()
optimizer = optim.Adadelta(net.parameters(), lr=0.01)

mini_batch_size = 10
total = train_data.shape[0]
batches = [(start, min(start + mini_batch_size, total)) for start in range(0, total, mini_batch_size)]

for epoch in range(10):
    random.shuffle(batches)
    for bounds in batches:
        inputs = train_data[bounds[0]:bounds[1]]
        targets = train_label[bounds[0]:bounds[1]]
        optimizer.zero_grad()
        loss = F.nll_loss(net(inputs), targets)
        loss.backward()
        optimizer.step()
