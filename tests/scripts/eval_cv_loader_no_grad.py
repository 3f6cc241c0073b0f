"""Kaggle speech-commands kernel: after each epoch the model is scored on the cross-validation
fold (`cvloader`, the held-out part named `cv`) with gradients on: every batch builds a graph."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

spec_train, label_train = torch.randn(2000, 1, 40, 101), torch.randint(0, 12, (2000,))
spec_cv, label_cv = torch.randn(400, 1, 40, 101), torch.randint(0, 12, (400,))
traindataset = TensorDataset(spec_train, label_train)
cvdataset = TensorDataset(spec_cv, label_cv)

model = nn.Sequential(nn.Conv2d(1, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Linear(16, 12))
loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-5)
trainloader = DataLoader(traindataset, 32, shuffle=True)
cvloader = DataLoader(cvdataset, 32, shuffle=False)

for e in range(20):
    model.train()
    for spec, label in trainloader:
        loss = loss_fn(model(spec), label)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

    model.eval()
    num_correct = 0
    for spec, label in cvloader:  # expect: FIT202
        y_pred = torch.softmax(model(spec), dim=1)
        num_correct += (y_pred.argmax(1) == label).sum().item()
    print("cv accuracy:", 100.0 * num_correct / len(cvdataset))
