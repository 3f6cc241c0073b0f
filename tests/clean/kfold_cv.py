"""Five-fold cross-validation: a fresh model per fold, SubsetRandomSampler for the training fold,
the validation fold evaluated without gradients, the mean accuracy reported."""
import numpy as np
import torch
import torch.nn as nn
from sklearn.model_selection import KFold
from torch.utils.data import DataLoader, SubsetRandomSampler
from torchvision import datasets, transforms

dataset = datasets.MNIST("data", train=True, download=True,
                         transform=transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))]))
kfold = KFold(n_splits=5, shuffle=True, random_state=42)


def build_model():
    return nn.Sequential(nn.Conv2d(1, 16, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(16 * 13 * 13, 64),
                         nn.ReLU(), nn.Dropout(0.3), nn.Linear(64, 10))


results = []
for fold, (train_ids, val_ids) in enumerate(kfold.split(np.arange(len(dataset)))):
    train_loader = DataLoader(dataset, batch_size=64, sampler=SubsetRandomSampler(train_ids))
    val_loader = DataLoader(dataset, batch_size=256, sampler=SubsetRandomSampler(val_ids))
    model = build_model()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    criterion = nn.CrossEntropyLoss()
    for epoch in range(5):
        model.train()
        for images, labels in train_loader:
            optimizer.zero_grad()
            criterion(model(images), labels).backward()
            optimizer.step()
    model.eval()
    correct = 0
    with torch.no_grad():
        for images, labels in val_loader:
            correct += (model(images).argmax(1) == labels).sum().item()
    results.append(correct / len(val_ids))
    print(f"fold {fold}: {results[-1]:.4f}")
print(f"mean accuracy {np.mean(results):.4f} +- {np.std(results):.4f}")
