"""The twin of train_mode_left_by_first_stage.py: the fine-tuning loop switches the model back to
training mode before its first step."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.utils.data import DataLoader, random_split
from torchvision import datasets, transforms


class LetterNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 32, 3, padding=1)
        self.bn = nn.BatchNorm2d(32)
        self.dropout = nn.Dropout(0.5)
        self.fc = nn.Linear(32 * 14 * 14, 26)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.bn(self.conv(x))), 2)
        return self.fc(self.dropout(x.flatten(1)))


def train_model(model, train_loader, val_loader, optimizer, criterion, epochs):
    best = 0.0
    for epoch in range(epochs):
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
        best = max(best, correct / len(val_loader.dataset))
    return best


def main():
    data = datasets.EMNIST("data", split="letters", train=True, download=True, transform=transforms.ToTensor())
    train_set, val_set = random_split(data, [0.9, 0.1])
    train_loader = DataLoader(train_set, batch_size=64, shuffle=True)
    val_loader = DataLoader(val_set, batch_size=256)
    model = LetterNet()
    criterion = nn.CrossEntropyLoss()
    train_model(model, train_loader, val_loader, torch.optim.Adam(model.parameters(), lr=1e-3), criterion, 25)

    fine_tune = torch.optim.SGD(model.parameters(), lr=1e-4, momentum=0.9)
    for epoch in range(10):
        model.train()
        for images, labels in train_loader:
            fine_tune.zero_grad()
            criterion(model(images), labels).backward()
            fine_tune.step()
    torch.save(model.state_dict(), "letters.pt")


if __name__ == "__main__":
    main()
