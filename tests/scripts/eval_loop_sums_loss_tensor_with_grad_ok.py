"""Homework MLP on MNIST, fixed: the per-epoch test loop runs under `torch.no_grad()`, so the
loss tensors it adds up hold no graph."""
import torch
import torch.nn as nn
import torchvision.datasets as datasets
import torchvision.transforms as transforms

train_set = datasets.MNIST("./data", train=True, download=True, transform=transforms.ToTensor())
test_set = datasets.MNIST("./data", train=False, download=True, transform=transforms.ToTensor())
train_loader = torch.utils.data.DataLoader(train_set, batch_size=100, shuffle=True)
test_loader = torch.utils.data.DataLoader(test_set, batch_size=100)

model = nn.Sequential(nn.Linear(28 * 28, 256), nn.ReLU(), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-5)
criterion = nn.CrossEntropyLoss()
train_losses, test_losses = [], []
for epoch in range(10):
    epoch_train_loss, epoch_test_loss = 0.0, 0.0
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images.view(-1, 28 * 28)), labels)
        epoch_train_loss += loss.item()
        loss.backward()
        optimizer.step()
    with torch.no_grad():
        for test_images, test_labels in test_loader:
            test_outputs = model(test_images.view(-1, 28 * 28))
            current_test_loss = criterion(test_outputs, test_labels)
            epoch_test_loss += current_test_loss
    train_losses.append(epoch_train_loss / len(train_loader))
    test_losses.append(float(epoch_test_loss) / len(test_loader))
print(train_losses[-1], test_losses[-1])
