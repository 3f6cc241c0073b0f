"""MedMNIST's getting-started template: besides the shuffled training loader it builds an
unshuffled `train_loader_at_eval` over the training split for a later accuracy pass; here the
notebook never uses it. Training walks the shuffled loader, so nothing is trained in stored order."""
import medmnist
import torch
import torch.nn as nn
import torch.utils.data as data
import torchvision.transforms as transforms

BATCH_SIZE = 128
DataClass = getattr(medmnist, "BloodMNIST")
data_transform = transforms.Compose([transforms.ToTensor()])

train_dataset = DataClass(split="train", transform=data_transform, download=True)
test_dataset = DataClass(split="test", transform=data_transform, download=True)

train_loader = data.DataLoader(dataset=train_dataset, batch_size=BATCH_SIZE, shuffle=True)
train_loader_at_eval = data.DataLoader(dataset=train_dataset, batch_size=2 * BATCH_SIZE, shuffle=False)
test_loader = data.DataLoader(dataset=test_dataset, batch_size=2 * BATCH_SIZE, shuffle=False)

model = nn.Sequential(nn.Flatten(), nn.Linear(3 * 28 * 28, 128), nn.ReLU(), nn.Linear(128, 8))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.003, momentum=0.9, weight_decay=5e-4)

for epoch in range(20):
    for inputs, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(inputs), labels.squeeze().long())
        loss.backward()
        optimizer.step()

with torch.no_grad():
    correct = sum((model(x).argmax(1) == y.squeeze()).sum().item() for x, y in test_loader)
print(correct / len(test_dataset))
