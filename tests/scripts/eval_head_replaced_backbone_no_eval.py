"""A JetBot-style trainer: the backbone comes from a project helper (`load_backbone(name)`, AlexNet
or ResNet-18 from torchvision, not in view), its classifier head is replaced for the new classes,
and the test loop runs in the mode training left it in: no `eval()` anywhere. A replaced head
(`model.fc = nn.Linear(...)`) says the model is a pretrained classifier, and those all have
batch-norm or dropout (FIT201)."""
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
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = nn.functional.cross_entropy(model(images), labels)
        loss.backward()
        optimizer.step()
    errors = 0
    with torch.no_grad():
        for images, labels in test_loader:  # expect: FIT201
            outputs = model(images)
            errors += (outputs.argmax(1) != labels).sum().item()
    print(epoch, 1.0 - errors / len(test_dataset))
