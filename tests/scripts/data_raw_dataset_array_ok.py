"""The MNIST tutorial shape (as in a widely copied Chinese PyTorch tutorial): the training set
goes through a DataLoader with ``ToTensor()``, while the first 2,000 test images are taken
straight from the dataset's own uint8 array and scaled by hand to match. Nothing to report.
"""
import torch
import torch.nn as nn
import torch.utils.data as Data
import torchvision

train_data = torchvision.datasets.MNIST(root="./mnist/", train=True, download=True,
                                        transform=torchvision.transforms.ToTensor())
train_loader = Data.DataLoader(dataset=train_data, batch_size=50, shuffle=True)

test_data = torchvision.datasets.MNIST(root="./mnist/", train=False)
test_x = torch.unsqueeze(test_data.data, dim=1).type(torch.FloatTensor)[:2000] / 255.
test_y = test_data.targets[:2000]


class CNN(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Sequential(nn.Conv2d(1, 16, 5, 1, 2), nn.ReLU(), nn.MaxPool2d(2))
        self.drop = nn.Dropout(0.25)
        self.out = nn.Linear(16 * 14 * 14, 10)

    def forward(self, x):
        x = self.conv(x)
        return self.out(self.drop(x.view(x.size(0), -1)))


cnn = CNN()
optimizer = torch.optim.Adam(cnn.parameters(), lr=1e-3, weight_decay=1e-4)
loss_func = nn.CrossEntropyLoss()

for epoch in range(2):
    for step, (b_x, b_y) in enumerate(train_loader):
        cnn.train()
        loss = loss_func(cnn(b_x), b_y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()

        if step % 50 == 0:
            cnn.eval()
            with torch.no_grad():
                pred_y = torch.max(cnn(test_x), 1)[1]
            accuracy = (pred_y == test_y).float().mean().item()
            print(f"epoch {epoch} | train loss {loss.item():.4f} | test accuracy {accuracy:.2f}")
