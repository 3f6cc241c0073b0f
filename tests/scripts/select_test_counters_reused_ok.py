"""The same counters reused by the training and the test loops, but nothing is chosen on the test
count: the weights kept are the ones with the best training accuracy, read right after the
training loop (before the counters are reset for the test loop), and the test accuracy is only
printed. Choosing on training accuracy is no test-set leak."""
import torch
import torch.nn as nn
import torchvision.transforms as transforms
from torch.utils.data import DataLoader
from torchvision.datasets import ImageFolder

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
train_loader = DataLoader(ImageFolder("mri/Training", transform=tf), batch_size=64, shuffle=True)
test_loader = DataLoader(ImageFolder("mri/Testing", transform=tf), batch_size=64)

model = nn.Sequential(nn.Conv2d(3, 8, 3, padding=1), nn.ReLU(), nn.MaxPool2d(4), nn.Flatten(),
                      nn.Dropout(0.3), nn.Linear(8 * 32 * 32, 4))
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

best_accuracy = 0.0
for epoch in range(15):
    model.train()
    correct, total = 0, 0
    for images, labels in train_loader:
        optimizer.zero_grad()
        outputs = model(images)
        loss = criterion(outputs, labels)
        loss.backward()
        optimizer.step()
        correct += (outputs.argmax(1) == labels).sum().item()
        total += labels.size(0)
    train_accuracy = correct / total
    if train_accuracy > best_accuracy:
        best_accuracy = train_accuracy
        torch.save(model.state_dict(), "best_model.pth")

    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in test_loader:
            outputs = model(images)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
    print(f"epoch {epoch}: train {train_accuracy:.3f} test {correct / total:.3f}")
