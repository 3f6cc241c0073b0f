"""The project's setup module: the network is built here, once, for the training script to import;
its head is widened in place after it is built."""
from torch import nn

from net import NET

net = NET()
net.classifier.add_module("extra", nn.Linear(2, 2))
