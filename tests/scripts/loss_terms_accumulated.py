import torch
import torch.nn as nn
from torch.utils.data import DataLoader
from torchvision import datasets, transforms


class VAE(nn.Module):
    def __init__(self, d=784, z=16):
        super().__init__()
        self.enc = nn.Linear(d, 2 * z)
        self.dec = nn.Sequential(nn.Linear(z, 256), nn.ReLU(), nn.Linear(256, d), nn.Sigmoid())

    def forward(self, x):
        mu, logvar = self.enc(x).chunk(2, dim=1)
        z = mu + torch.randn_like(mu) * torch.exp(0.5 * logvar)
        return self.dec(z), mu, logvar


train_loader = DataLoader(datasets.MNIST("data", train=True, download=True, transform=transforms.ToTensor()),
                          batch_size=128, shuffle=True)
model = VAE()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
beta = 0.05
for epoch in range(20):
    recon_total, kl_total, beta_total = 0, 0, 0
    for x, _ in train_loader:
        x = x.view(-1, 784)
        optimizer.zero_grad()
        x_hat, mu, logvar = model(x)
        recon = torch.sum((x_hat - x) ** 2, 1).mean()
        kl = -0.5 * torch.sum(1 + logvar - mu.pow(2) - logvar.exp(), 1).mean()
        loss = recon + beta * kl
        loss.backward()
        optimizer.step()
        recon_total += recon  # expect: FIT502
        kl_total += kl  # expect: FIT502
        beta_total += beta
    print(epoch, recon_total / len(train_loader), kl_total / len(train_loader))
