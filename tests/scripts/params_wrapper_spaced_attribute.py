"""The same network class fine-tuning its classifier head only: the optimizer is built over the
head, then the head is replaced (`self. model.fc = ...`, a stray space again), so the optimizer
holds the old head's parameters and the new head never trains (FIT503)."""
import torch
import torch.nn as nn
import torch.optim as optim


class Net(nn.Module):
    def __init__(self, hidden, n_out):
        super().__init__()
        self.features = nn.Sequential(nn.Conv2d(1, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2))
        self.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 14 * 14, hidden), nn.ReLU(), nn.Dropout(0.3),
                                nn.Linear(hidden, n_out))

    def forward(self, x):
        return self.fc(self.features(x))


class CnnNetwork:
    def __init__(self, hidden_units=256, output_size=10, learning_rate=1e-3):
        self.device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
        self.model = Net(hidden_units, output_size)
        self.criterion = nn.CrossEntropyLoss()
        self.optimizer = optim.Adam( self.model.fc.parameters(), lr=learning_rate, weight_decay=1e-5 )  # expect: FIT503
        self. model.fc = nn.Sequential(nn.Flatten(), nn.Linear(32 * 14 * 14, output_size))
        self.model.to(self.device)

    def train(self, train_loader, epochs=10):
        for epoch in range(epochs):
            self.model.train()
            for images, labels in train_loader:
                images, labels = images.to(self.device), labels.to(self.device)
                self.optimizer.zero_grad()
                loss = self.criterion(self.model(images), labels)
                loss.backward()
                self.optimizer.step()
            print(epoch, loss.item())
