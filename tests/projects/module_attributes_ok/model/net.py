import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self, params):
        super(Net, self).__init__()
        self.fc1 = nn.Linear(100, 64)
        self.bn1 = nn.BatchNorm1d(64)
        self.fc2 = nn.Linear(64, 6)
        self.dropout_rate = params.dropout_rate

    def forward(self, s):
        s = F.relu(self.bn1(self.fc1(s)))
        s = F.dropout(s, p=self.dropout_rate, training=self.training)
        return F.log_softmax(self.fc2(s), dim=1)


def loss_fn(outputs, labels):
    return nn.CrossEntropyLoss()(outputs, labels)
