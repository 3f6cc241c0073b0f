"""A denoising autoencoder: Gaussian noise added to each training batch, the clean image as the
target, reconstructions of held-out noisy images without gradients."""
import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms

train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
test_loader = DataLoader(datasets.MNIST("data", train=False, transform=transforms.ToTensor()), batch_size=256)


class DenoisingAutoencoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.encoder = nn.Sequential(nn.Conv2d(1, 32, 3, stride=2, padding=1), nn.ReLU(),
                                     nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.ReLU())
        self.decoder = nn.Sequential(nn.ConvTranspose2d(64, 32, 3, stride=2, padding=1, output_padding=1), nn.ReLU(),
                                     nn.ConvTranspose2d(32, 1, 3, stride=2, padding=1, output_padding=1), nn.Sigmoid())

    def forward(self, x):
        return self.decoder(self.encoder(x))


model = DenoisingAutoencoder()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
criterion = nn.MSELoss()
noise_std = 0.3
for epoch in range(20):
    model.train()
    for clean, _ in train_loader:
        noisy = (clean + noise_std * torch.randn_like(clean)).clamp(0.0, 1.0)
        optimizer.zero_grad()
        loss = criterion(model(noisy), clean)
        loss.backward()
        optimizer.step()
    model.eval()
    with torch.no_grad():
        test_loss = sum(criterion(model((x + noise_std * torch.randn_like(x)).clamp(0, 1)), x).item()
                        for x, _ in test_loader) / len(test_loader)
    print(f"epoch {epoch}: test reconstruction loss {test_loss:.4f}")
