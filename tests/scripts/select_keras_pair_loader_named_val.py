"""A PyTorch MLP trained on MNIST loaded through Keras: `mnist.load_data()` returns (train, test),
and the second pair, named for validation here, is the official test set; the best checkpoint is
kept on it (FIT601)."""
import torch
import torch.nn as nn
from tensorflow.keras.datasets import mnist
from torch.utils.data import DataLoader, TensorDataset

(x_tr, y_tr), (x_va, y_va) = mnist.load_data()
x_tr = torch.tensor(x_tr, dtype=torch.float32).view(-1, 784) / 255.0
x_va = torch.tensor(x_va, dtype=torch.float32).view(-1, 784) / 255.0
train_loader = DataLoader(TensorDataset(x_tr, torch.tensor(y_tr).long()), batch_size=128, shuffle=True)
val_loader = DataLoader(TensorDataset(x_va, torch.tensor(y_va).long()), batch_size=512)

model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Dropout(0.2), nn.Linear(256, 10))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
best_acc = 0.0
for epoch in range(20):
    model.train()
    for xb, yb in train_loader:
        optimizer.zero_grad()
        criterion(model(xb), yb).backward()
        optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for xb, yb in val_loader:
            correct += (model(xb).argmax(1) == yb).sum().item()
    acc = correct / len(x_va)
    if acc > best_acc:  # expect: FIT601
        best_acc = acc
        torch.save(model.state_dict(), "mnist_best.pt")
