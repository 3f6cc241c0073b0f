"""A notebook's last cell, made a script: accuracy on the test loader, then the same loop pasted
over the training loader with its names left as they were (`test_inputs`, `outputs_test`). The
test pass runs with gradients on (FIT202 at its loop); the second pass walks training data, and
its names do not make it a test evaluation: it is reported as what it is, a pass over the
training data that trains nothing, with gradients on."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=tf), batch_size=64, shuffle=True)
test_loader = DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=256)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()

for epoch in range(3):
    for inputs, labels in tqdm(train_loader):
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels)
        loss.backward()
        optimizer.step()

correct = 0
total = 0
for test_inputs, labels in tqdm(test_loader):  # expect: FIT202
    outputs_test = model(test_inputs)
    _, predicted = torch.max(outputs_test.data, 1)
    total += labels.size(0)
    correct += (predicted == labels).sum().item()
print(f"test accuracy {100 * correct / total:.2f}")

correct = 0
total = 0
for test_inputs, labels in tqdm(train_loader):  # expect: FIT202
    outputs_test = model(test_inputs)
    _, predicted = torch.max(outputs_test.data, 1)
    total += labels.size(0)
    correct += (predicted == labels).sum().item()
print(f"training accuracy {100 * correct / total:.2f}")
