"""A learner's copy of the MNIST tutorial (PyTorch 0.3 era), as found in public code: the model
class comes from the learner's own ``model.py`` by a star import, the training set goes through
``ToTensor()`` (inputs in [0, 1]), but the first 2,000 test images are taken from the dataset's
own uint8 array, wrapped in ``Variable(..., volatile=True)`` and cast without the tutorial's
``/ 255.``: the model trained on [0, 1] is tested on 0..255 (FIT401).
"""
import torch
import torch.nn as nn
import torch.utils.data as Data
import torchvision
from torch.autograd import Variable

from model import *  # CNN: the class is defined in the learner's model.py

train_data = torchvision.datasets.MNIST(root="./mnist/", train=True, download=True,
                                        transform=torchvision.transforms.ToTensor())
train_loader = Data.DataLoader(dataset=train_data, batch_size=50, shuffle=True)

test_data = torchvision.datasets.MNIST(root="./mnist/", train=False)
test_x = Variable(torch.unsqueeze(test_data.data, dim=1), volatile=True).type(torch.FloatTensor)[:2000]  # FIT401
test_y = test_data.targets[:2000]


cnn = CNN()
optimizer = torch.optim.Adam(cnn.parameters(), lr=1e-3, weight_decay=1e-4)
loss_func = nn.CrossEntropyLoss()

for epoch in range(2):
    for step, (b_x, b_y) in enumerate(train_loader):
        cnn.train()
        loss = loss_func(cnn(b_x), b_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if step % 50 == 0:
            cnn.eval()
            with torch.no_grad():
                pred_y = torch.max(cnn(test_x), 1)[1]
            accuracy = (pred_y == test_y).float().mean().item()
            print(f"epoch {epoch} | train loss {loss.item():.4f} | test accuracy {accuracy:.2f}")
