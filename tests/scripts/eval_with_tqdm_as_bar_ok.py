"""The same bars with the test loop under `torch.no_grad()`: the training loop walks the shuffled
training loader through its bar: nothing to report."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms
from tqdm import tqdm

tf = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.1307,), (0.3081,))])
train_dataloader = DataLoader(datasets.MNIST("data", train=True, transform=tf), batch_size=128, shuffle=True)
test_dataloader = DataLoader(datasets.MNIST("data", train=False, transform=tf), batch_size=256)
model = nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.GELU(), nn.Dropout(0.1), nn.Linear(256, 10))
optimizer = torch.optim.AdamW(model.parameters(), lr=1e-3)
criterion = nn.CrossEntropyLoss()
for epoch in range(10):
    model.train()
    with tqdm(train_dataloader) as pbar:
        for images, labels in pbar:
            optimizer.zero_grad()
            loss = criterion(model(images), labels)
            loss.backward()
            optimizer.step()
            pbar.set_postfix(loss=loss.item())
    model.eval()
    correct = 0
    with torch.no_grad(), tqdm(test_dataloader) as pbar:
        for images, labels in pbar:
            correct += (model(images).argmax(1) == labels).sum().item()
    print(epoch, correct / len(test_dataloader.dataset))
