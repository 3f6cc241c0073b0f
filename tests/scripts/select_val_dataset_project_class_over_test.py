"""A training helper handed `X_test, y_test` builds its validation set with the project's own
dataset class (imported from a module that is not in view) and keeps the best weights on it, then
prints the same loader's accuracy as "Test". The class is made of the arrays it is given, so the
validation set is the test split (FIT601)."""
import numpy as np
import torch
import torch.nn as nn
from torch.utils.data import DataLoader

from eeg_data import EEGDataset, load_subject


def evaluate(model, loader):
    model.eval()
    correct = total = 0
    with torch.no_grad():
        for x, y in loader:
            correct += (model(x).argmax(1) == y).sum().item()
            total += len(y)
    return correct / total


def train_model(X_train, y_train, X_test, y_test, epochs=300):
    train_dataset = EEGDataset(X_train, y_train, augment=True)
    val_dataset = EEGDataset(X_test, y_test, augment=False)
    train_loader = DataLoader(train_dataset, batch_size=64, shuffle=True)
    val_loader = DataLoader(val_dataset, batch_size=64, shuffle=False)
    model = nn.Sequential(nn.Conv1d(22, 32, 7), nn.BatchNorm1d(32), nn.ELU(), nn.Dropout(0.5),
                          nn.Flatten(), nn.LazyLinear(4))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3, weight_decay=1e-3)
    criterion = nn.CrossEntropyLoss(label_smoothing=0.1)
    best_val_acc, best_state = 0.0, None
    for epoch in range(epochs):
        model.train()
        for x, y in train_loader:
            optimizer.zero_grad()
            criterion(model(x), y).backward()
            optimizer.step()
        val_acc = evaluate(model, val_loader)
        if val_acc > best_val_acc:  # expect: FIT601
            best_val_acc = val_acc
            best_state = {k: v.clone() for k, v in model.state_dict().items()}
    model.load_state_dict(best_state)
    print(f"Best val: {best_val_acc:.4f}, Test: {evaluate(model, val_loader):.4f}")
    return model


for subject in range(1, 10):
    X_tr, y_tr, X_te, y_te = load_subject(subject)
    train_model(X_tr, y_tr, X_te, y_te)
