"""A student CNN on per-subject tensors: the mini-batches are a list of (start, end) bounds built
once over a range, and every epoch visits them in the same stored order; nothing permutes the data
or the list."""
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
batches = []
for k in range(total // mini_batch_size):
    batches.append((mini_batch_size * k, mini_batch_size * (k + 1)))
if total % mini_batch_size:
    batches.append((mini_batch_size * (total // mini_batch_size), total))

for epoch in range(10):
    for bounds in batches:
        inputs = train_data[bounds[0]:bounds[1]]  # FIT101
        targets = train_label[bounds[0]:bounds[1]]
        optimizer.zero_grad()
        loss = F.nll_loss(net(inputs), targets)
        loss.backward()
        optimizer.step()
