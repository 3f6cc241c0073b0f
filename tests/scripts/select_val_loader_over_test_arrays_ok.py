"""The sentiment tutorial's three-way split: the published test file is cut in half, the first half
becoming the validation set (`val_x, test_x = test_x[:half], test_x[half:]`) and the rest the test
set, evaluated once at the end. Choosing the checkpoint on the validation half is right, though its
arrays were cut from data named test; and a validation set built from `X_val` stays validation."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

train_x, train_y = np.load("train_x.npy"), np.load("train_y.npy")
test_x, test_y = np.load("test_x.npy"), np.load("test_y.npy")
half = len(test_x) // 2
val_x, test_x = test_x[:half], test_x[half:]
val_y, test_y = test_y[:half], test_y[half:]
train_data = TensorDataset(torch.from_numpy(train_x), torch.from_numpy(train_y))
val_data = TensorDataset(torch.from_numpy(val_x), torch.from_numpy(val_y))
test_data = TensorDataset(torch.from_numpy(test_x), torch.from_numpy(test_y))
train_loader = DataLoader(train_data, shuffle=True, batch_size=50)
val_loader = DataLoader(val_data, batch_size=50)
test_loader = DataLoader(test_data, batch_size=50)

model = nn.Sequential(nn.EmbeddingBag(20000, 64), nn.Dropout(0.5), nn.Linear(64, 2))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()

valid_loss_min = np.inf
for epoch in range(10):
    model.train()
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        criterion(model(inputs), labels).backward()
        optimizer.step()
    model.eval()
    val_losses = []
    with torch.no_grad():
        for inputs, labels in val_loader:
            val_losses.append(criterion(model(inputs), labels).item())
    if np.mean(val_losses) <= valid_loss_min:
        torch.save(model.state_dict(), "state_dict.pt")
        valid_loss_min = np.mean(val_losses)

model.load_state_dict(torch.load("state_dict.pt"))
model.eval()
correct = 0
with torch.no_grad():
    for inputs, labels in test_loader:
        correct += (model(inputs).argmax(1) == labels).sum().item()
print("test accuracy:", correct / len(test_loader.dataset))
