"""Speech-command spectrogram CNN trained from tensors saved with torch.save: the batches are
cut once with `.split(batch_size)` and zipped, and every epoch walks that same list in order."""
import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 16, 3)
        self.drop = nn.Dropout(0.25)
        self.fc = nn.Linear(16, 10)

    def forward(self, x):
        x = F.adaptive_avg_pool2d(F.relu(self.conv(x)), 1).flatten(1)
        return self.fc(self.drop(x))


def train(model, device, train_loader, optimizer):
    model.train()
    for batch_idx, (data, target) in enumerate(train_loader):
        data, target = data.to(device), target.to(device)
        optimizer.zero_grad()
        loss = F.cross_entropy(model(data), target)
        loss.backward()
        optimizer.step()


def main(batch_size=64, epochs=10):
    device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
    train_data = torch.load("train.pt")
    n_rows, time_bins, freq_bins = list(train_data[0].shape)
    train_loader = list(zip(train_data[0].reshape(n_rows, 1, time_bins, freq_bins).split(batch_size),  # expect: FIT101
                            train_data[1].split(batch_size)))
    model = Net().to(device)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=1e-4)
    for epoch in range(1, epochs + 1):
        train(model, device, train_loader, optimizer)


if __name__ == "__main__":
    main()
