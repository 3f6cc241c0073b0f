"""Cats vs dogs: the training script hands the evaluation step a validation folder every epoch
(the helper calls its parameter `test`), and scores the test folder once at the end."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, models, transforms

from evaluation import test

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(),
                         transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))])
train_data = datasets.ImageFolder("data/train", tf)
val_data = datasets.ImageFolder("data/val", tf)
test_data = datasets.ImageFolder("data/test", tf)
train_loader = DataLoader(train_data, batch_size=32, shuffle=True)
val_loader = DataLoader(val_data, batch_size=64)
test_loader = DataLoader(test_data, batch_size=64)

model = models.resnet18(num_classes=2)
optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
loss_fn = nn.CrossEntropyLoss()
best_loss = None
for epoch in range(20):
    model.train()
    for x, y in train_loader:
        optimizer.zero_grad()
        loss_fn(model(x), y).backward()
        optimizer.step()
    best_loss, curr_loss = test(model, val_loader, loss_fn, best_loss, "best.pt")
model.load_state_dict(torch.load("best.pt"))
model.eval()
with torch.no_grad():
    correct = sum((model(x).argmax(1) == y).sum().item() for x, y in test_loader)
print("test accuracy", correct / len(test_data))
