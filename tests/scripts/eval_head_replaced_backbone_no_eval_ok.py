"""The same trainer switching modes: `model.train()` before each epoch's training and
`model.eval()` before the test loop: nothing to report."""
import torch
import torch.nn as nn
import torch.optim as optim
from torch.utils.data import DataLoader

from model_settings import load_backbone, model_name

model = load_backbone(model_name, pretrained=True)
if model_name == "alexnet":
    model.classifier[6] = nn.Linear(model.classifier[6].in_features, 3)
else:
    model.fc = nn.Linear(512, 3)
train_loader = DataLoader(train_dataset, batch_size=8, shuffle=True)
test_loader = DataLoader(test_dataset, batch_size=8)
optimizer = optim.SGD(model.parameters(), lr=0.001, momentum=0.9)
best_accuracy = 0.0
for epoch in range(30):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    errors = 0
    with torch.no_grad():
        for images, labels in test_loader:
            outputs = model(images)
            errors += (outputs.argmax(1) != labels).sum().item()
    print(epoch, 1.0 - errors / len(test_dataset))
