"""The same early stopping on a validation part carved from the training set with `random_split`;
the test set is evaluated once at the end: nothing to report."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms

tf = transforms.ToTensor()
train_part, val_part = random_split(datasets.MNIST("data", train=True, transform=tf), [55000, 5000])
train_loader = DataLoader(train_part, batch_size=64, shuffle=True)
val_loader = DataLoader(val_part, batch_size=256)
test_loader = DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=256)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 128), nn.ReLU(), nn.Dropout(0.2), nn.Linear(128, 10))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
best_val_accuracy = 0.0
patience, patience_counter = 5, 0
for epoch in range(100):
    model.train()
    for X_batch, y_batch in train_loader:
        optimizer.zero_grad()
        criterion(model(X_batch), y_batch).backward()
        optimizer.step()
    model.eval()
    val_correct_preds = 0
    with torch.no_grad():
        for X_batch, y_batch in val_loader:
            val_correct_preds += (model(X_batch).argmax(1) == y_batch).sum().item()
    val_accuracy = val_correct_preds / len(val_loader.dataset)
    if val_accuracy > best_val_accuracy:
        best_val_accuracy = val_accuracy
        patience_counter = 0
    else:
        patience_counter += 1
        if patience_counter >= patience:
            break
model.eval()
test_correct_preds = 0
with torch.no_grad():
    for X_batch, y_batch in test_loader:
        test_correct_preds += (model(X_batch).argmax(1) == y_batch).sum().item()
print("test accuracy", test_correct_preds / len(test_loader.dataset))
