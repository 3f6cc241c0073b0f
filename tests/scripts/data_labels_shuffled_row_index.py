"""The same hand-batched CIFAR-10 homework, but the labels get a second, independent
permutation: ``x_train[perm, :]`` and ``y_train[np.random.permutation(n)]`` put images and labels
in two different orders, so every pair is wrong from the first epoch (FIT103).
"""
import h5py
import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
import torch.optim as optim

with h5py.File("CIFAR10.hdf5", "r") as data:
    x_train = np.float32(data["X_train"][:]).reshape(-1, 3, 32, 32)
    y_train = np.int64(np.array(data["Y_train"]))
    x_test = np.float32(data["X_test"][:]).reshape(-1, 3, 32, 32)
    y_test = np.int64(np.array(data["Y_test"]))


def random_flip(images, labels, portion=0.5):
    """Mirror a random part of the batch horizontally (the labels are unchanged)."""
    idx = np.random.choice(len(images), int(portion * len(images)), replace=False)
    flipped = images.copy()
    flipped[idx] = flipped[idx, :, :, ::-1]
    return flipped, labels


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, 32, 3, padding=1)
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Linear(32 * 16 * 16, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv(x)), 2)
        return self.fc(self.drop(x.view(x.size(0), -1)))


model = Net()
optimizer = optim.Adam(model.parameters(), lr=1e-3, weight_decay=5e-4)
batch_size = 100

for epoch in range(30):
    model.train()
    perm = np.random.permutation(len(y_train))
    x_train = x_train[perm, :]
    y_train = y_train[np.random.permutation(len(y_train))]  # FIT103
    x_aug, y_aug = random_flip(x_train, y_train)
    for i in range(0, len(y_aug), batch_size):
        data = torch.from_numpy(x_aug[i:i + batch_size])
        target = torch.from_numpy(y_aug[i:i + batch_size])
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()

    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(y_test), batch_size):
            output = model(torch.from_numpy(x_test[i:i + batch_size]))
            correct += (output.argmax(1).numpy() == y_test[i:i + batch_size]).sum()
    print(f"epoch {epoch}: test accuracy {correct / len(y_test):.3f}")
