# Plant pathology inference with test-time augmentation: the loader helper is told how many views
# to average (TTA); with more than one it builds the test set with the random transform, and the
# predictions of TTA passes are averaged. The validation set keeps the deterministic transform.
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

TTA = 8
norm = transforms.Normalize((0.485, 0.456, 0.406), (0.229, 0.224, 0.225))
train_transform = transforms.Compose([transforms.RandomResizedCrop(224), transforms.RandomHorizontalFlip(),
                                      transforms.ToTensor(), norm])
valid_transform = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor(), norm])
test_transform = transforms.Compose([transforms.Resize((256, 256)), transforms.RandomCrop(224),
                                     transforms.RandomHorizontalFlip(), transforms.ToTensor(), norm])


def test_dataset_loader(test_data_path, TTA):
    if TTA == 1:
        test_dataset = datasets.ImageFolder(test_data_path, transform=valid_transform)
    else:
        test_dataset = datasets.ImageFolder(test_data_path, transform=test_transform)
    return DataLoader(test_dataset, batch_size=32, shuffle=False)


train_loader = DataLoader(datasets.ImageFolder("data/train", transform=train_transform), batch_size=32, shuffle=True)
valid_loader = DataLoader(datasets.ImageFolder("data/valid", transform=valid_transform), batch_size=64)
model = nn.Sequential(nn.Conv2d(3, 16, 3), nn.BatchNorm2d(16), nn.ReLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
                      nn.Dropout(0.2), nn.Linear(16, 4))
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    for images, labels in train_loader:
        optimizer.zero_grad()
        loss = criterion(model(images), labels)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        correct = sum((model(x).argmax(1) == y).sum().item() for x, y in valid_loader)
    print(epoch, correct)

test_loader = test_dataset_loader("data/test", TTA)
with torch.no_grad():
    views = [torch.cat([model(images).softmax(1) for images, _ in test_loader]) for _ in range(TTA)]
probabilities = torch.stack(views).mean(0)
