"""A brain-MRI classifier written as one notebook: the epoch loop counts `correct` and `total` over
the training batches, resets both to 0, counts them again over the validation loader and keeps the
weights whenever that accuracy improves. The "validation" loader reads the dataset's Testing
folder: the reset means the accuracy compared is the test count alone, so the checkpoint is chosen
on the test set."""
import torch
import torch.nn as nn
import torchvision.transforms as transforms
from torch.utils.data import DataLoader
from torchvision.datasets import ImageFolder

tf = transforms.Compose([transforms.Resize((128, 128)), transforms.ToTensor()])
train_loader = DataLoader(ImageFolder("mri/Training", transform=tf), batch_size=64, shuffle=True)
val_loader = DataLoader(ImageFolder("mri/Testing", transform=tf), batch_size=64)

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

    model.eval()
    correct = 0
    total = 0
    with torch.no_grad():
        for images, labels in val_loader:
            outputs = model(images)
            correct += (outputs.argmax(1) == labels).sum().item()
            total += labels.size(0)
    val_accuracy = correct / total
    print(f"epoch {epoch}: train {train_accuracy:.3f} val {val_accuracy:.3f}")

    if val_accuracy > best_accuracy:  # expect: FIT601
        best_accuracy = val_accuracy
        torch.save(model.state_dict(), "best_model.pth")
