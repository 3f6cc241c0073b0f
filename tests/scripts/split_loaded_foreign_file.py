"""The same recipe loading another file than the one it saves (`np.load("dataset.npy")`, built by
some other program in its own order): the last tenth cut off for validation is the end of the
stored order (FIT102), and the hand-cut batches walk it unchanged every epoch (FIT101)."""
import os

import cv2
import numpy as np
import torch
import torch.nn as nn
import torch.optim as optim

REBUILD_DATA = False


class DogsVSCats:
    IMG_SIZE = 50
    LABELS = {"PetImages/Cat": 0, "PetImages/Dog": 1}
    training_data = []

    def make_training_data(self):
        for label in self.LABELS:
            for f in os.listdir(label):
                img = cv2.resize(cv2.imread(os.path.join(label, f), cv2.IMREAD_GRAYSCALE), (self.IMG_SIZE, self.IMG_SIZE))
                self.training_data.append([np.array(img), np.eye(2)[self.LABELS[label]]])
        np.random.shuffle(self.training_data)
        np.save("training_data.npy", self.training_data)


if REBUILD_DATA:
    DogsVSCats().make_training_data()
training_data = np.load("dataset.npy", allow_pickle=True)

net = nn.Sequential(nn.Conv2d(1, 32, 5), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Dropout(0.25), nn.LazyLinear(2))
optimizer = optim.Adam(net.parameters(), lr=0.001)
loss_function = nn.MSELoss()
X = torch.Tensor([i[0] for i in training_data]).view(-1, 50, 50) / 255.0
y = torch.Tensor([i[1] for i in training_data])
val_size = int(len(X) * 0.1)
train_X, train_y = X[:-val_size], y[:-val_size]
test_X, test_y = X[-val_size:], y[-val_size:]  # expect: FIT102
BATCH_SIZE = 100
for epoch in range(1):
    for i in range(0, len(train_X), BATCH_SIZE):
        batch_X = train_X[i:i + BATCH_SIZE].view(-1, 1, 50, 50)  # expect: FIT101
        batch_y = train_y[i:i + BATCH_SIZE]
        net.zero_grad()
        loss = loss_function(net(batch_X), batch_y)
        loss.backward()
        optimizer.step()
