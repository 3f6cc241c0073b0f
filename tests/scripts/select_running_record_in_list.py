"""Fine-tuning a frozen ResNet-50 on an image folder split by index. The running record of the
top test accuracy is kept in a list (`record = [epoch, accuracy]`, mutable without `global`),
a name that says nothing of its role (no word of this file does): the comparison keeps a running
record because its body sets the record to the metric it was compared with, and the checkpoint
saved under it is chosen on the test split."""
import numpy as np
import torch
from torch import nn, optim
from torch.utils.data import DataLoader, Subset
from torchvision import datasets, models, transforms

tf = transforms.Compose([transforms.Resize((224, 224)), transforms.ToTensor()])
folder = datasets.ImageFolder("leaves", transform=tf)
order = np.random.permutation(len(folder))
cut = int(0.9 * len(folder))
train_loader = DataLoader(Subset(folder, order[:cut]), batch_size=32, shuffle=True)
test_loader = DataLoader(Subset(folder, order[cut:]), batch_size=64)

net = models.resnet50(weights="IMAGENET1K_V2")
for p in net.parameters():
    p.requires_grad = False
net.fc = nn.Linear(net.fc.in_features, 12)
opt = optim.SGD(net.fc.parameters(), lr=0.01, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
record = [0, 0.0]


def run_test(epoch):
    net.eval()
    hits = 0
    with torch.no_grad():
        for x, y in test_loader:
            hits += (net(x).argmax(1) == y).sum().item()
    accuracy = hits / len(test_loader.dataset)
    if accuracy > record[1]:  # expect: FIT601
        record[0] = epoch
        record[1] = accuracy
        torch.save(net.state_dict(), f"ckpt/{epoch}.pt")
    print(epoch, accuracy, record)


for epoch in range(30):
    net.train()
    for x, y in train_loader:
        opt.zero_grad()
        loss_fn(net(x), y).backward()
        opt.step()
    run_test(epoch)
