# Kannada-MNIST cross-validated with StratifiedKFold: the folds are index sets handed to
# SubsetRandomSampler (a random order every epoch), not batches cut from the data in order; each
# fold trains a fresh model.
import torch
import torch.nn as nn
from sklearn.model_selection import StratifiedKFold
from torch.utils.data import DataLoader, SubsetRandomSampler, TensorDataset

images = torch.rand(6000, 1, 28, 28)
targets = torch.randint(0, 10, (6000,))
train_set = TensorDataset(images, targets)
kfold = StratifiedKFold(n_splits=5, shuffle=True, random_state=0)
criterion = nn.CrossEntropyLoss()

splited_folds = kfold.split(images, targets)
for fold, (train_idx, valid_idx) in enumerate(splited_folds):
    model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                          nn.Dropout(0.3), nn.Linear(16, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    train_loader = DataLoader(train_set, batch_size=64, sampler=SubsetRandomSampler(train_idx))
    valid_loader = DataLoader(train_set, batch_size=256, sampler=SubsetRandomSampler(valid_idx))
    for epoch in range(5):
        model.train()
        for inputs, labels in train_loader:
            optimizer.zero_grad()
            loss = criterion(model(inputs), labels)
            loss.backward()
            optimizer.step()
        model.eval()
        with torch.no_grad():
            correct = sum((model(x).argmax(1) == y).sum().item() for x, y in valid_loader)
        print(fold, epoch, correct / len(valid_idx))
